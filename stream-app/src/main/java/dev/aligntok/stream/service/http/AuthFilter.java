package dev.aligntok.stream.service.http;

import dev.aligntok.stream.output.BoundedText;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requires credentials on every {@code /v1/**} request — a configured API key in
 * {@value #API_KEY_HEADER}, or a valid JSON Web Token in {@code Authorization: Bearer} — and the
 * role the route needs: admin for {@code /v1/admin/*}, submit for {@code GET /v1/quotas}, read for
 * other GETs, submit for the rest (POST, DELETE). The {@link Caller} it establishes is left on the request for the controllers, which
 * answer only a request's owner (or an admin). Refusals say nothing about why (the log does, at
 * debug): a caller probing credentials learns nothing about the configuration. The probes, the
 * OpenAPI document and the management port stay open. Present unless {@code aligntok.auth.enabled=false}.
 */
@ServerFilter("/v1/**")
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
public final class AuthFilter {
  static final String API_KEY_HEADER = "X-API-Key";
  private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
  private static final String BEARER = "Bearer ";
  private static final String CHALLENGE = "ApiKey header=\"" + API_KEY_HEADER + "\", Bearer";

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
    Caller caller;
    String key = request.getHeaders().get(API_KEY_HEADER);
    String authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (key != null) {
      caller = keys.caller(key).orElse(null);
      if (caller == null) {
        return unauthorized(request, CHALLENGE, "an unknown API key");
      }
    } else if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      JwtVerifier.Verdict verdict = tokens.verify(authorization.substring(BEARER.length()).strip());
      if (!verdict.accepted()) {
        return unauthorized(request, "Bearer error=\"invalid_token\"", verdict.rejection());
      }
      caller = verdict.caller();
    } else {
      return unauthorized(request, CHALLENGE, "no credentials");
    }
    Role needed = neededRole(request);
    if (!caller.has(needed)) {
      LOG.warn("refused {} {}: {} lacks the {} role", request.getMethodName(), path(request), caller.owner(),
          needed.lowerCase());
      return HttpResponse.status(HttpStatus.FORBIDDEN).body(ErrorBody.of("this credential may not do that"));
    }
    request.setAttribute(Callers.ATTRIBUTE, caller);
    return null;
  }

  private static Role neededRole(HttpRequest<?> request) {
    // The matched route's template, not the raw path, which the router may read more leniently.
    String path = RouteAttributes.getRouteMatch(request)
        .filter(match -> match instanceof UriRouteMatch<?, ?>)
        .map(match -> ((UriRouteMatch<?, ?>) match).getRouteInfo().getUriMatchTemplate().toString())
        .orElseGet(request::getPath)
        .toLowerCase(Locale.ROOT).replaceAll("/{2,}", "/");
    if (path.equals("/v1/admin") || path.startsWith("/v1/admin/")) {
      return Role.ADMIN;
    }
    if (path.equals("/v1/quotas")) {
      // The quotas are about submitting, and a submission asks the caller's instance here with its credentials.
      return Role.SUBMIT;
    }
    HttpMethod method = request.getMethod();
    return method == HttpMethod.GET || method == HttpMethod.HEAD ? Role.READ : Role.SUBMIT;
  }

  private static HttpResponse<?> unauthorized(HttpRequest<?> request, String challenge, String why) {
    LOG.debug("401 for {} {}: {}", request.getMethodName(), path(request), why);
    return HttpResponse.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, challenge)
        .body(ErrorBody.of("authentication required: the credentials are missing, invalid or expired"));
  }

  /** Paths come from the caller: bounded in log lines. */
  private static String path(HttpRequest<?> request) {
    return BoundedText.of(request.getPath(), 200);
  }
}
