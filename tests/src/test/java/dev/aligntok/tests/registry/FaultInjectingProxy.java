package dev.aligntok.tests.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * An HTTP(S) proxy on loopback in front of the real registry that can inject the faults a real
 * registry cannot be asked for on demand: 5xx answers, dropped connections, slow answers, and
 * authentication. Everything else is forwarded unchanged, so successful calls are the real
 * registry's answers. Records every request (method, path, Authorization header).
 */
public final class FaultInjectingProxy implements AutoCloseable {
  /** One request as the proxy saw it. */
  public record Seen(String method, String path, String authorization) {}

  private final HttpServer server;
  private final URI target;
  private final HttpClient forwarder = HttpClient.newHttpClient();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private final AtomicInteger dropsLeft = new AtomicInteger();
  private final AtomicInteger delaysLeft = new AtomicInteger();
  private final AtomicInteger stallsLeft = new AtomicInteger();
  private volatile int failureStatus = 503;
  private volatile long delayMillis;
  private volatile String requiredAuthorization;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  private FaultInjectingProxy(HttpServer server, URI target) {
    this.server = server;
    this.target = target;
    server.createContext("/", this::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** Plain HTTP proxy to {@code target} (a base URL such as {@code http://127.0.0.1:8081/apis/ccompat/v7}). */
  public static FaultInjectingProxy http(URI target) throws IOException {
    return new FaultInjectingProxy(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), target);
  }

  /** HTTPS proxy presenting the certificate of {@code tls}. */
  public static FaultInjectingProxy https(URI target, SSLContext tls) throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls));
    return new FaultInjectingProxy(server, target);
  }

  /** Base URL clients should use (same path as the target's). */
  public URI url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + target.getPath());
  }

  /** The next {@code count} requests are answered with {@code status} and a Confluent error body. */
  public void failNext(int count, int status) {
    failureStatus = status;
    failuresLeft.set(count);
  }

  /** The next {@code count} requests get their connection closed without an answer. */
  public void dropNext(int count) {
    dropsLeft.set(count);
  }

  /** The next {@code count} requests are answered only after {@code millis}. */
  public void delayNext(int count, long millis) {
    delayMillis = millis;
    delaysLeft.set(count);
  }

  /** The next {@code count} answers send their headers and half a body, then hang for 10 s. */
  public void stallBodyNext(int count) {
    stallsLeft.set(count);
  }

  /** Requests whose Authorization header differs are answered 401; null turns the check off. */
  public void requireAuthorization(String header) {
    requiredAuthorization = header;
  }

  public List<Seen> seen() {
    return List.copyOf(seen);
  }

  public void clearSeen() {
    seen.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath().substring(target.getPath().length());
      String query = Optional.ofNullable(exchange.getRequestURI().getRawQuery()).map(q -> "?" + q).orElse("");
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      seen.add(new Seen(exchange.getRequestMethod(), path, auth));
      byte[] body = exchange.getRequestBody().readAllBytes();

      if (dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return; // closing an exchange that sent no headers closes the connection: the client sees EOF
      }
      if (stallsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        exchange.sendResponseHeaders(200, 100);
        exchange.getResponseBody().write("{\"id\":".getBytes(StandardCharsets.UTF_8));
        exchange.getResponseBody().flush();
        sleep(10_000);
        return;
      }
      if (delaysLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        sleep(delayMillis);
      }
      if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        reply(exchange, failureStatus, "{\"error_code\":" + (failureStatus * 100 + 1) + ",\"message\":\"injected failure\"}");
        return;
      }
      String required = requiredAuthorization;
      if (required != null && !required.equals(auth)) {
        reply(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
        return;
      }
      forward(exchange, path + query, body);
    }
  }

  private void forward(HttpExchange exchange, String pathAndQuery, byte[] body) throws IOException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
        .method(exchange.getRequestMethod(), body.length == 0
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      HttpResponse<byte[]> response = forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
      sendBytes(exchange, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 502, "interrupted");
    }
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    sendBytes(exchange, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static void sendBytes(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
