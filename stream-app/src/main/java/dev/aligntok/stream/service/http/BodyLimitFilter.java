package dev.aligntok.stream.service.http;

import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.service.config.HttpLimitSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.web.router.RouteAttributes;
import io.micronaut.web.router.UriRouteMatch;

/**
 * Refuses a body larger than its route accepts (413) from its declared Content-Length, before any
 * of it is read, and before authentication: {@code /v1/tokenize} takes one image
 * ({@code aligntok.tokenize.max-encoded-bytes}), every other route a small JSON document
 * ({@code aligntok.http.max-json-body-bytes}). A chunked body declares no length; the server's
 * {@code micronaut.server.max-request-size} (the image limit) stays its hard cap.
 */
@ServerFilter("/**")
public final class BodyLimitFilter implements Ordered {
  static final String TOKENIZE = "/v1/tokenize";

  private final long maxJsonBytes;
  private final long maxImageBytes;

  BodyLimitFilter(HttpLimitSettings limits, TokenizeConfig tokenize) {
    this.maxJsonBytes = limits.maxJsonBodyBytes();
    this.maxImageBytes = tokenize.imageLimits().maxEncodedBytes();
  }

  /** Null lets the request through; a 413 ends it. */
  @RequestFilter
  @Nullable
  public HttpResponse<?> check(HttpRequest<?> request) {
    String declared = request.getHeaders().get(HttpHeaders.CONTENT_LENGTH);
    if (declared == null) {
      return null;
    }
    long length;
    try {
      length = Long.parseLong(declared.strip());
    } catch (NumberFormatException e) {
      return null; // the HTTP codec answers a malformed length itself
    }
    long limit = isTokenize(request) ? maxImageBytes : maxJsonBytes;
    if (length <= limit) {
      return null;
    }
    return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
        .body(ErrorBody.of("the body has " + length + " bytes; this route accepts at most " + limit));
  }

  private static boolean isTokenize(HttpRequest<?> request) {
    String route = RouteAttributes.getRouteMatch(request)
        .filter(match -> match instanceof UriRouteMatch<?, ?>)
        .map(match -> ((UriRouteMatch<?, ?>) match).getRouteInfo().getUriMatchTemplate().toString())
        .orElse("");
    return route.equals(TOKENIZE);
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.before();
  }
}
