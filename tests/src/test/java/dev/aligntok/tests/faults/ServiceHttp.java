package dev.aligntok.tests.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** A caller of a {@link ServiceProcess}'s HTTP API, with or without an API key. */
final class ServiceHttp {
  static final String API_KEY_HEADER = "X-API-Key";
  /** Marks a query one instance forwards to another (the service's {@code PeerForwarder.FORWARDED}). */
  static final String FORWARDED_HEADER = "X-AlignTok-Forwarded";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ServiceProcess service;
  private final String apiKey;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** @param apiKey sent in {@value #API_KEY_HEADER}; null sends none */
  ServiceHttp(ServiceProcess service, String apiKey) {
    this.service = service;
    this.apiKey = apiKey;
  }

  HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body) {
    return send(method, path, contentType, body, false);
  }

  private HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body, boolean forwarded) {
    HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (apiKey != null) {
      request.header(API_KEY_HEADER, apiKey);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (forwarded) {
      request.header(FORWARDED_HEADER, "true");
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed; " + service.logTail(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> get(String path) {
    return send("GET", path, null, null);
  }

  /**
   * {@code GET path} as a peer forwarding it: the instance answers from its own stores when it owns
   * the key, and 503 (never forwarding again) when another instance does or none does yet.
   */
  HttpResponse<byte[]> getAsOwner(String path) {
    return send("GET", path, null, null, true);
  }

  HttpResponse<byte[]> postJson(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** Polls {@code GET path} until its JSON body satisfies {@code done}; fails with the last answer after the timeout. */
  JsonNode awaitJson(String path, Predicate<JsonNode> done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "(no answer)";
    while (System.nanoTime() < deadline) {
      HttpResponse<byte[]> response = get(path);
      last = response.statusCode() + " " + text(response);
      if (response.statusCode() == 200) {
        JsonNode body = json(response);
        if (done.test(body)) {
          return body;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("GET " + path + " did not get there within " + timeout + "; last answer " + last
        + "; " + service.logTail());
  }

  static JsonNode json(HttpResponse<byte[]> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text(response), e);
    }
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }
}
