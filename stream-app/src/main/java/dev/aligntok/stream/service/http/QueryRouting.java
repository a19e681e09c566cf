package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.query.KeyOwner;
import dev.aligntok.stream.service.query.KeyOwners;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Answers a request about one key here when this instance owns the key, else at its owner. */
@Singleton
final class QueryRouting {
  private final KeyOwners owners;
  private final PeerForwarder forwarder;

  QueryRouting(KeyOwners owners, PeerForwarder forwarder) {
    this.owners = owners;
    this.forwarder = forwarder;
  }

  MutableHttpResponse<?> route(String store, String requestId, HttpRequest<?> request,
                               Supplier<MutableHttpResponse<?>> local) {
    return route(store, requestId, request.getMethodName(), request.getPath(), request, local);
  }

  /**
   * As {@link #route(String, String, HttpRequest, Supplier)}, but an owner elsewhere is sent
   * {@code method path} instead of the request itself (one endpoint asking another about the key).
   */
  MutableHttpResponse<?> route(String store, String requestId, String method, String path, HttpRequest<?> request,
                               Supplier<MutableHttpResponse<?>> local) {
    KeyOwner owner = owners.of(store, requestId);
    return switch (owner.kind()) {
      case LOCAL -> local.get();
      case REMOTE -> request.getHeaders().contains(PeerForwarder.FORWARDED)
          ? retryLater("request " + requestId + " is moving between instances")
          : forwarder.forward(method, owner.host(), path, credentials(request));
      case UNAVAILABLE -> retryLater("no instance owns request " + requestId + " right now (rebalancing)");
    };
  }

  /**
   * Asks about {@code requestId} on behalf of {@code request} (another route's question, e.g. whether
   * the caller may see the request): locally or at the owner, even when {@code request} itself was
   * forwarded. It cannot loop: the question carries {@value PeerForwarder#FORWARDED}, so the owner
   * answers from its own stores or says the key is moving.
   */
  MutableHttpResponse<?> ask(String store, String requestId, String method, String path, HttpRequest<?> request,
                             Supplier<MutableHttpResponse<?>> local) {
    KeyOwner owner = owners.of(store, requestId);
    return switch (owner.kind()) {
      case LOCAL -> local.get();
      case REMOTE -> forwarder.forward(method, owner.host(), path, credentials(request));
      case UNAVAILABLE -> retryLater("no instance owns request " + requestId + " right now (rebalancing)");
    };
  }

  /** The authentication headers the caller sent, to be sent on with a forwarded query. */
  private static Map<String, String> credentials(HttpRequest<?> request) {
    Map<String, String> credentials = new LinkedHashMap<>();
    for (String name : List.of(AuthFilter.API_KEY_HEADER, HttpHeaders.AUTHORIZATION)) {
      String value = request.getHeaders().get(name);
      if (value != null) {
        credentials.put(name, value);
      }
    }
    return credentials;
  }

  static MutableHttpResponse<?> retryLater(String why) {
    return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1")
        .body(ErrorBody.of(why + "; retry shortly"));
  }
}
