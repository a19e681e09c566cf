package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Request body limits per route ({@code aligntok.http.*}). {@code /v1/tokenize} takes an image up to
 * {@code aligntok.tokenize.max-encoded-bytes}; every other route takes JSON up to
 * {@code max-json-body-bytes}. A declared Content-Length above the route's limit is refused with 413
 * before the body is read; a chunked body is capped by {@code micronaut.server.max-request-size}.
 *
 * @param maxJsonBodyBytes largest JSON body (generation submissions, admin requests); default {@value #DEFAULT_MAX_JSON_BODY_BYTES}
 */
@ConfigurationProperties("aligntok.http")
public record HttpLimitSettings(@Nullable Long maxJsonBodyBytes) {
  public static final long DEFAULT_MAX_JSON_BODY_BYTES = 64 * 1024;

  public HttpLimitSettings {
    maxJsonBodyBytes = maxJsonBodyBytes == null ? DEFAULT_MAX_JSON_BODY_BYTES : maxJsonBodyBytes;
    Settings.requireAtLeast("aligntok.http.max-json-body-bytes", maxJsonBodyBytes, 1024);
  }
}
