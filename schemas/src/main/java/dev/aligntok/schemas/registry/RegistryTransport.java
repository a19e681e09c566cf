package dev.aligntok.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends JSON requests to the registry: fails over between URLs on I/O errors, retries 5xx, 429
 * and I/O errors with backoff, and turns error responses into typed exceptions.
 */
final class RegistryTransport {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClientConfig config;
  private final HttpClient http;

  RegistryTransport(RegistryClientConfig config) {
    this.config = config;
    HttpClient.Builder builder = HttpClient.newBuilder()
        .connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL);
    config.sslContext().ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  /** Sends the request; {@code body} may be null. Returns the parsed JSON response. */
  JsonNode send(String method, String path, Object body) {
    String payload = body == null ? null : toJson(body);
    SchemaRegistryException last = null;
    for (int attempt = 0; attempt <= config.retry().maxRetries(); attempt++) {
      if (attempt > 0) {
        sleep(config.retry().delayBefore(attempt), last);
        LOG.warn("retrying registry request {} {} (retry {}/{}) after: {}",
            method, path, attempt, config.retry().maxRetries(), last.getMessage());
      }
      try {
        return sendOnceToAnyUrl(method, path, payload);
      } catch (SchemaRegistryException e) {
        if (!e.isRetriable()) {
          throw e;
        }
        last = e;
      }
    }
    throw last;
  }

  private JsonNode sendOnceToAnyUrl(String method, String path, String payload) {
    RegistryUnavailableException unreachable = null;
    for (URI base : config.urls()) {
      String request = method + " " + base + path;
      HttpResponse<String> response;
      CompletableFuture<HttpResponse<String>> pending =
          http.sendAsync(build(method, base, path, payload), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      try {
        // The client's own timeout stops at the response headers; this deadline also covers the body.
        response = pending.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        pending.cancel(true);
        unreachable = new RegistryUnavailableException(
            request + " failed: no complete answer within " + config.requestTimeout().toMillis() + " ms (timed out)", e);
        continue;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        unreachable = new RegistryUnavailableException(request + " failed: registry unreachable ("
            + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")", cause);
        continue;
      } catch (InterruptedException e) {
        pending.cancel(true);
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(request + " interrupted", e);
      }
      int status = response.statusCode();
      if (status >= 200 && status < 300) {
        return parse(request, response.body());
      }
      throw RegistryErrors.fromResponse(request, status, response.body());
    }
    throw unreachable;
  }

  private HttpRequest build(String method, URI base, String path, String payload) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(config.requestTimeout())
        .header("Accept", CONTENT_TYPE + ", application/json")
        .method(method, payload == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
    if (payload != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    config.authorization().ifPresent(value -> builder.header("Authorization", value));
    return builder.build();
  }

  private static JsonNode parse(String request, String body) {
    try {
      return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (IOException e) {
      throw new SchemaRegistryException(request + " returned a body that is not JSON: " + e.getMessage(), 200, -1, e);
    }
  }

  private static String toJson(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise registry request body", e);
    }
  }

  private static void sleep(Duration delay, SchemaRegistryException cause) {
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }
}
