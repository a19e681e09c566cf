package dev.aligntok.benchmarks.scaleout;

import dev.aligntok.stream.config.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;

/** Fresh topics per benchmark run (named after its application id), so no earlier backlog or output is read. */
final class ScaleOutTopics {
  private ScaleOutTopics() {}

  static Topics of(String applicationId) {
    return new Topics(new TopicNames(applicationId + ".images", applicationId + ".latents", applicationId + ".prompts",
        applicationId + ".generated", applicationId + ".status", applicationId + ".dlq",
        applicationId + ".cancellations"));
  }

  record Topics(TopicNames names) {
    /** The service's aligntok.topics.* settings as environment variables. */
    Map<String, String> environment() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("ALIGNTOK_TOPICS_IMAGES", names.images());
      env.put("ALIGNTOK_TOPICS_LATENTS", names.latents());
      env.put("ALIGNTOK_TOPICS_PROMPTS", names.prompts());
      env.put("ALIGNTOK_TOPICS_GENERATED", names.generated());
      env.put("ALIGNTOK_TOPICS_STATUS", names.status());
      env.put("ALIGNTOK_TOPICS_DEAD_LETTERS", names.deadLetters());
      env.put("ALIGNTOK_TOPICS_CANCELLATIONS", names.cancellations());
      return env;
    }
  }
}
