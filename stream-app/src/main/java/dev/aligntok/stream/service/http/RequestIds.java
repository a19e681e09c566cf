package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.config.GenerateSettings;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Ids of requests and images: caller-chosen or a random UUID. They become Kafka keys and URL path
 * segments, so they are limited to characters that need no escaping.
 */
@Singleton
final class RequestIds {
  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._:-]+");

  private final int maxLength;

  RequestIds(GenerateSettings settings) {
    this.maxLength = settings.maxIdLength();
  }

  String newId() {
    return UUID.randomUUID().toString();
  }

  /** What is wrong with a caller-chosen id, if anything. */
  Optional<String> problem(String id) {
    if (id.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (id.length() > maxLength) {
      return Optional.of("has " + id.length() + " characters, at most " + maxLength + " are allowed");
    }
    if (!ALLOWED.matcher(id).matches()) {
      return Optional.of("may only contain letters, digits, '.', '_', ':' and '-'");
    }
    return Optional.empty();
  }
}
