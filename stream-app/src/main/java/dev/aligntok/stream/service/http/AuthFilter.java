package dev.aligntok.stream.service.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;

/**
 * Requires credentials on every {@code /v1/**} request: a configured API key in {@value #API_KEY_HEADER},
 * or a valid JSON Web Token in {@code Authorization: Bearer}. Health, metrics and the OpenAPI document
 * stay open (probes and scrapers carry no credentials). Present unless {@code aligntok.auth.enabled=false}.
 */
@ServerFilter("/v1/**")
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
public final class AuthFilter {
  static final String API_KEY_HEADER = "X-API-Key";
  private static final String BEARER = "Bearer ";

  private final ApiKeys keys;
  private final JwtVerifier tokens;

  AuthFilter(ApiKeys keys, JwtVerifier tokens) {
    this.keys = keys;
    this.tokens = tokens;
  }

  /** Null lets the request through; a response ends it. */
  @RequestFilter
  @Nullable
  public HttpResponse<?> authenticate(HttpRequest<?> request) {
    String key = request.getHeaders().get(API_KEY_HEADER);
    if (key != null) {
      return keys.accepts(key) ? null : unauthorized("ApiKey header=\"" + API_KEY_HEADER + "\"", "invalid API key");
    }
    String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      Optional<String> rejection = tokens.rejection(authorization.substring(BEARER.length()).strip());
      return rejection.map(why -> unauthorized("Bearer error=\"invalid_token\"", why)).orElse(null);
    }
    return unauthorized("ApiKey header=\"" + API_KEY_HEADER + "\", Bearer",
        "missing credentials: an " + API_KEY_HEADER + " header or an Authorization: Bearer token");
  }

  private static HttpResponse<?> unauthorized(String challenge, String why) {
    return HttpResponse.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
        .body(ErrorBody.of(why));
  }
}
