package dev.aligntok.stream.service.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Requires a configured API key in {@value #HEADER} on every {@code /v1/**} request; health,
 * metrics and the OpenAPI document stay open (probes and scrapers carry no key). Present unless
 * {@code aligntok.auth.enabled=false}.
 */
@ServerFilter("/v1/**")
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
public final class ApiKeyFilter {
  static final String HEADER = "X-API-Key";

  private final ApiKeys keys;

  ApiKeyFilter(ApiKeys keys) {
    this.keys = keys;
  }

  /** Null lets the request through; a response ends it. */
  @RequestFilter
  @Nullable
  public HttpResponse<?> authenticate(HttpRequest<?> request) {
    String key = request.getHeaders().get(HEADER);
    if (key != null && keys.accepts(key)) {
      return null;
    }
    return HttpResponse.status(HttpStatus.UNAUTHORIZED)
        .header("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"")
        .body(ErrorBody.of(key == null ? "missing " + HEADER + " header" : "invalid API key"));
  }
}
