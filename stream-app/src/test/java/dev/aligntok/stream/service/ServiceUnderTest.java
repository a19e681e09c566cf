package dev.aligntok.stream.service;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The whole service (Micronaut context, HTTP server on 127.0.0.1, Kafka Streams) against a real
 * broker, with the model and registry doubles of {@link ServiceTestDoubles}; plus a small HTTP client.
 */
final class ServiceUnderTest implements AutoCloseable {
  static final String API_KEY = "test-key-1";
  /** A named key with the admin role (the other keys have submit and read). */
  static final String ADMIN_KEY = "test-admin-key";
  static final String JWT_SECRET = "a-test-secret-of-at-least-32-bytes!";
  static final String JWT_AUDIENCE = "aligntok-test";
  /** An override with this value removes the test default instead of setting it. */
  static final String UNSET = "<unset>";
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final EmbeddedServer server;
  private final int managementPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ServiceUnderTest(EmbeddedServer server, int managementPort) {
    this.server = server;
    this.managementPort = managementPort;
  }

  /** Starts the service under {@code applicationId}; {@code overrides} win over the test defaults. */
  static ServiceUnderTest start(String bootstrapServers, String applicationId, Path stateDir,
                                Map<String, Object> overrides) {
    Map<String, Object> props = new HashMap<>();
    props.put(ServiceTestDoubles.PROPERTY, "true");
    props.put("micronaut.server.host", "127.0.0.1");
    props.put("micronaut.server.port", -1);
    props.put("aligntok.kafka.bootstrap-servers", bootstrapServers);
    props.put("aligntok.kafka.application-id", applicationId);
    props.put("aligntok.kafka.close-timeout", "15s");
    props.put("aligntok.kafka.properties.state.dir", stateDir.toString());
    props.put("aligntok.topics.partitions", 2);
    props.put("aligntok.registry.url", "http://127.0.0.1:9"); // replaced by the in-process double
    props.put("aligntok.auth.api-keys", API_KEY + ",test-key-2"); // comma-separated, as in an environment variable
    props.put("aligntok.auth.jwt-hmac-secret", JWT_SECRET);
    props.put("aligntok.auth.jwt-issuer", "https://issuer.test");
    props.put("aligntok.auth.jwt-audience", JWT_AUDIENCE);
    props.put("aligntok.auth.keys.ops.key", ADMIN_KEY);
    props.put("aligntok.auth.keys.ops.roles", "admin");
    // Health details and metrics: on a port of their own, like the API's, free on loopback.
    props.put("endpoints.all.port", freeLoopbackPort());
    // A lone request waits 20 s for companions (long enough to see it QUEUED); 8 images run at once.
    props.put("aligntok.generate.batch-size", 8);
    props.put("aligntok.generate.max-wait", "20s");
    props.putAll(overrides);
    props.values().removeIf(UNSET::equals);
    EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
    return new ServiceUnderTest(server, Integer.parseInt(String.valueOf(props.get("endpoints.all.port"))));
  }

  static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET {@code path} on the management port, without credentials. */
  HttpResponse<String> management(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
        .timeout(Duration.ofSeconds(30)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " (management port) failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  ApplicationContext context() {
    return server.getApplicationContext();
  }

  /** @param apiKey sent as X-API-Key, or as Authorization when it is "Bearer <token>"; null sends neither */
  HttpResponse<String> send(String method, String path, String apiKey, String contentType, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    if (apiKey != null && apiKey.startsWith("Bearer ")) {
      request.header("Authorization", apiKey); // a token, not a key
    } else if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<byte[]> getBytes(String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
        .header("X-API-Key", API_KEY).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, API_KEY, null, null);
  }

  HttpResponse<String> postJson(String path, String json) {
    return postJson(path, json, API_KEY);
  }

  /** @param credential an API key, or "Bearer <token>" */
  HttpResponse<String> postJson(String path, String json, String credential) {
    return send("POST", path, credential, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getPort();
  }

  /** Repeats GET {@code path} until the response satisfies {@code done}; fails after a minute. */
  HttpResponse<String> awaitGet(String path, Predicate<HttpResponse<String>> done) {
    return awaitGetAs(path, API_KEY, done);
  }

  /** As {@link #awaitGet}, with another credential (an API key, or "Bearer <token>"). */
  HttpResponse<String> awaitGetAs(String path, String credential, Predicate<HttpResponse<String>> done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    HttpResponse<String> last;
    do {
      last = send("GET", path, credential, null, null);
      if (done.test(last)) {
        return last;
      }
      sleep(100);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("GET " + path + " still answers " + last.statusCode() + " " + last.body() + " after " + WAIT);
  }

  /** Waits until /health (management port) says UP: Kafka Streams RUNNING, model loaded. */
  ServiceUnderTest awaitReady() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        if (management("/health").statusCode() == 200) {
          return this;
        }
      } catch (UncheckedIOException notListeningYet) {
        // keep polling
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the service is not healthy after " + WAIT + ": " + management("/health").body());
      }
      sleep(100);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.getApplicationContext().close();
  }
}
