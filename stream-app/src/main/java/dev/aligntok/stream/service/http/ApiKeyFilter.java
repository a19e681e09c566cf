package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.config.AuthSettings;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Requires a configured API key in {@value #HEADER} on every {@code /v1/**} request; health,
 * metrics and the OpenAPI document stay open (probes and scrapers carry no key). Present unless
 * {@code aligntok.auth.enabled=false}.
 */
@ServerFilter("/v1/**")
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
public final class ApiKeyFilter {
  static final String HEADER = "X-API-Key";

  /** Digests, so that comparing takes the same time whatever the key's length or first mismatch. */
  private final List<byte[]> keyDigests;

  public ApiKeyFilter(AuthSettings settings) {
    this.keyDigests = settings.apiKeys().stream().map(ApiKeyFilter::digest).toList();
  }

  /** Null lets the request through; a response ends it. */
  @RequestFilter
  @Nullable
  public HttpResponse<?> authenticate(HttpRequest<?> request) {
    String key = request.getHeaders().get(HEADER);
    if (key != null && known(digest(key))) {
      return null;
    }
    return HttpResponse.status(HttpStatus.UNAUTHORIZED)
        .header("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"")
        .body(ErrorBody.of(key == null ? "missing " + HEADER + " header" : "invalid API key"));
  }

  private boolean known(byte[] candidate) {
    boolean found = false;
    for (byte[] digest : keyDigests) {
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
