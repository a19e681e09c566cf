package dev.aligntok.stream.config;

import dev.aligntok.schemas.EventTopics;

/**
 * Names of the topics the service reads and writes; defaults are {@link EventTopics}' names.
 *
 * @param cancellations compacted topic keyed by request id; a non-null value cancels the request,
 *     a tombstone withdraws the cancellation
 */
public record TopicNames(String images, String latents, String prompts, String generated, String status,
                         String deadLetters, String cancellations) {
  public static final String DEFAULT_CANCELLATIONS = "aligntok.cancellations";

  public TopicNames {
    requireName("images", images);
    requireName("latents", latents);
    requireName("prompts", prompts);
    requireName("generated", generated);
    requireName("status", status);
    requireName("deadLetters", deadLetters);
    requireName("cancellations", cancellations);
  }

  public static TopicNames defaults() {
    return new TopicNames(EventTopics.IMAGES.defaultName(), EventTopics.LATENTS.defaultName(),
        EventTopics.PROMPTS.defaultName(), EventTopics.GENERATED.defaultName(), EventTopics.STATUS.defaultName(),
        EventTopics.DLQ.defaultName(), DEFAULT_CANCELLATIONS);
  }

  private static void requireName(String role, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name for " + role + " must not be blank");
    }
  }
}
