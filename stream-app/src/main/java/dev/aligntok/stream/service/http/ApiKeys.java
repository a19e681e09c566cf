package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.config.AuthSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The configured API keys. Created with the application context (not at the first request), so
 * that authentication switched on without keys stops the start with {@link AuthSettings}' message.
 */
@Context
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
final class ApiKeys {
  /** Digests, so that comparing takes the same time whatever the key's length or first mismatch. */
  private final List<byte[]> digests;

  ApiKeys(AuthSettings settings) {
    this.digests = settings.apiKeys().stream().map(ApiKeys::digest).toList();
  }

  boolean accepts(String key) {
    byte[] candidate = digest(key);
    boolean found = false;
    for (byte[] digest : digests) {
      found |= MessageDigest.isEqual(digest, candidate);
    }
    return found;
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
