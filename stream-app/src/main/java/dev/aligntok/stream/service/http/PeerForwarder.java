package dev.aligntok.stream.service.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Sends a query to the instance that owns its key and relays the answer. The forwarded request
 * carries {@value #FORWARDED} so that the owner answers from its own stores instead of forwarding
 * again (ownership may move during a rebalance; the caller then gets a 503 and retries).
 */
@Singleton
final class PeerForwarder {
  static final String FORWARDED = "X-AlignTok-Forwarded";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** @param credentials the caller's own authentication headers, passed on unchanged */
  MutableHttpResponse<?> forward(String method, HostInfo owner, String path, Map<String, String> credentials) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + owner.host() + ":" + owner.port() + path))
        .timeout(TIMEOUT)
        .header(FORWARDED, "true")
        .method(method, HttpRequest.BodyPublishers.noBody());
    credentials.forEach(request::header);
    try {
      java.net.http.HttpResponse<byte[]> answer = client.send(request.build(),
          java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      MutableHttpResponse<byte[]> relayed = HttpResponse.<byte[]>status(HttpStatus.valueOf(answer.statusCode()))
          .body(answer.body());
      answer.headers().firstValue("Content-Type").ifPresent(relayed::contentType);
      answer.headers().firstValue("Location").ifPresent(location -> relayed.header("Location", location));
      return relayed;
    } catch (IOException e) {
      return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(ErrorBody.of("the instance owning this request (" + owner + ") did not answer: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(ErrorBody.of("interrupted while forwarding"));
    }
  }
}
