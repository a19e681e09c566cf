package dev.aligntok.stream.service.http;

import dev.aligntok.stream.config.RequestIdFormat;
import dev.aligntok.stream.service.config.GenerateSettings;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;

/**
 * Ids of requests and images: caller-chosen or a random UUID. They become Kafka keys and URL path
 * segments, so they follow {@link RequestIdFormat} (the form the generate topology checks too).
 */
@Singleton
final class RequestIds {
  private final RequestIdFormat format;

  RequestIds(GenerateSettings settings) {
    this.format = new RequestIdFormat(settings.maxIdLength());
  }

  String newId() {
    return UUID.randomUUID().toString();
  }

  /** What is wrong with a caller-chosen id, if anything. */
  Optional<String> problem(String id) {
    return format.problem(id);
  }
}
