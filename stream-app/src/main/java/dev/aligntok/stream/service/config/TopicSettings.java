package dev.aligntok.stream.service.config;

import dev.aligntok.stream.config.TopicNames;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Topic names and how missing topics are created ({@code aligntok.topics.*}).
 *
 * @param create            create missing topics at start-up; when false they are only verified
 * @param partitions        partitions of a topic this service creates
 * @param replicationFactor replicas of a topic this service creates; -1 takes the broker's default
 */
@ConfigurationProperties("aligntok.topics")
public record TopicSettings(
    boolean create,
    int partitions,
    short replicationFactor,
    String images,
    String latents,
    String prompts,
    String generated,
    String status,
    String deadLetters,
    String cancellations) {

  public TopicSettings {
    Settings.requireAtLeast("aligntok.topics.partitions", partitions, 1);
    if (replicationFactor != -1 && replicationFactor < 1) {
      throw new IllegalArgumentException("aligntok.topics.replication-factor must be >= 1 or -1 (broker default), got "
          + replicationFactor);
    }
  }

  public TopicNames names() {
    return new TopicNames(images, latents, prompts, generated, status, deadLetters, cancellations);
  }
}
