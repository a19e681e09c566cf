package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aligntok.events.max-streams-per-caller} through the real HTTP server and broker: a caller at
 * its cap hears 429 with Retry-After while another caller still gets its stream, and the slot comes
 * back when the client goes away and when the stream ends at its maximum duration. The requests stay
 * QUEUED throughout (a lone request waits two minutes for companions), so no stream ends by itself
 * before its maximum duration (20 s): a slot freed sooner was freed by the disconnect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventStreamCallerCapHttpTest {
  private static final String OTHER_KEY = "test-key-2";
  private static final Duration MAX_DURATION = Duration.ofSeconds(20);

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "events-cap-test", work.resolve("state"), Map.of(
        "aligntok.events.max-streams-per-caller", 1,
        "aligntok.events.max-duration", MAX_DURATION.toSeconds() + "s",
        "aligntok.events.heartbeat", "500ms", // writes often: a gone client is noticed at the latest then
        "aligntok.events.poll-interval", "100ms",
        "aligntok.generate.max-wait", "120s"));
    service.awaitReady();
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stopping = service) {
      for (String id : List.of("cap-own", "cap-other")) {
        service.send("DELETE", "/v1/generations/" + id, id.equals("cap-own") ? ServiceUnderTest.API_KEY : OTHER_KEY,
            null, null);
      }
    }
  }

  @Test
  void aCallerAtItsCapIs429UntilItsStreamIsGoneThroughDisconnectOrMaximumDuration() throws Exception {
    assertEquals(202, service.postJson("/v1/generations", "{\"id\":\"cap-own\",\"classId\":1,\"steps\":2}")
        .statusCode());
    assertEquals(202, service.postJson("/v1/generations", "{\"id\":\"cap-other\",\"classId\":1,\"steps\":2}", OTHER_KEY)
        .statusCode());
    long openedNanos = System.nanoTime();
    HttpResponse<Stream<String>> held = open("cap-own", ServiceUnderTest.API_KEY);
    assertEquals(200, held.statusCode());

    HttpResponse<Stream<String>> refused = open("cap-own", ServiceUnderTest.API_KEY);
    assertEquals(429, refused.statusCode());
    assertEquals("5", refused.headers().firstValue("Retry-After").orElse(""));
    String body = String.join("\n", refused.body().toList());
    assertTrue(body.contains("at most 1 event streams open per caller") && body.contains("maxStreamsPerCaller"), body);

    HttpResponse<Stream<String>> other = open("cap-other", OTHER_KEY);
    assertEquals(200, other.statusCode(), "another caller is not held by the first one's cap");
    other.body().close();

    // The client goes away: its slot is given back, long before the stream's maximum duration.
    held.body().close();
    HttpResponse<Stream<String>> reopened = awaitAdmitted("cap-own", openedNanos + MAX_DURATION.toNanos() / 2);
    // This one is read to its end: the maximum duration closes it with an end event, and frees the slot too.
    List<String> lines = reopened.body().toList();
    assertTrue(lines.contains("event: end"), "closed at the maximum duration: " + lines);
    HttpResponse<Stream<String>> afterEnd = awaitAdmitted("cap-own", System.nanoTime() + MAX_DURATION.toNanos() / 2);
    afterEnd.body().close();
  }

  /** Opens the stream until it is admitted (not 429); fails at {@code deadlineNanos}. */
  private HttpResponse<Stream<String>> awaitAdmitted(String id, long deadlineNanos) throws InterruptedException {
    while (true) {
      HttpResponse<Stream<String>> response = open(id, ServiceUnderTest.API_KEY);
      if (response.statusCode() != 429) {
        assertEquals(200, response.statusCode());
        return response;
      }
      response.body().close();
      if (System.nanoTime() > deadlineNanos) {
        throw new AssertionError("the caller's stream slot was not given back: still 429 for " + id);
      }
      Thread.sleep(200);
    }
  }

  private HttpResponse<Stream<String>> open(String id, String apiKey) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/generations/" + id + "/events"))
        .header("Accept", "text/event-stream").header("X-API-Key", apiKey).timeout(Duration.ofSeconds(60)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new UncheckedIOException("GET events of " + id + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
