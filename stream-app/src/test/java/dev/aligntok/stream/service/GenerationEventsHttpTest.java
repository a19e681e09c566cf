package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.query.KeyOwner;
import dev.aligntok.stream.service.query.KeyOwners;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/generations/{id}/events} through the real HTTP server, broker and runtime, with two
 * instances of one application: a stream opened at either instance right after the submission
 * (so one of them polls the owner through routing) carries the status changes and one event per
 * image, and ends after the final state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerationEventsHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int COUNT = 3;
  private static final int LONG_STEPS = 1_000;

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest first;
  private ServiceUnderTest second;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    first = instance("first", Map.of());
    // The second instance closes connections idle for 2 s: heartbeats every 0.5 s keep a quiet stream open
    // (a request waits 3 s QUEUED). It waits less than that for unknown ids, which sends nothing meanwhile.
    second = instance("second", Map.of("aligntok.events.max-streams", 1, "aligntok.events.heartbeat", "500ms",
        "aligntok.events.wait-for-id", "1s", "micronaut.server.idle-timeout", "2s",
        "micronaut.server.read-idle-timeout", "2s"));
    first.awaitReady();
    second.awaitReady();
    // Healthy is not settled: until both instances answer for a request, the group may still be rebalancing.
    // Each test's request then waits its own 3 s batch alone (each test lets its request finish).
    assertEquals(202, first.postJson("/v1/generations", "{\"id\":\"warm-up\",\"classId\":1,\"steps\":2}").statusCode());
    for (ServiceUnderTest instance : List.of(first, second)) {
      instance.awaitGet("/v1/generations/warm-up", r -> r.body().contains("SUCCEEDED"));
    }
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest one = first; ServiceUnderTest two = second) {
      // nothing to do but close
    }
  }

  private ServiceUnderTest instance(String name, Map<String, Object> overrides) {
    int port = ServiceUnderTest.freeLoopbackPort();
    Map<String, Object> settings = new HashMap<>(Map.of(
        "micronaut.server.port", port,
        "aligntok.kafka.application-server", "127.0.0.1:" + port,
        "aligntok.generate.max-wait", "3s", // a lone request waits this long for companions: it is seen QUEUED
        "aligntok.events.poll-interval", "100ms",
        "aligntok.events.wait-for-id", "3s",
        // A long request for the progress test: many steps, reported in parts of 100 ms; each step waits
        // 1 ms per request (4 s for 1,000 steps), since the tiny bundle alone once ran them in 0.3 s, under
        // the 0.5 s spacing of progress updates.
        "aligntok.generate.max-steps", LONG_STEPS,
        ServiceTestDoubles.STEP_DELAY, "1ms",
        "aligntok.generate.progress-interval", "100ms"));
    settings.putAll(overrides);
    return ServiceUnderTest.start(kafka.bootstrapServers(), "events-test", work.resolve(name), settings);
  }

  @Test
  void eitherInstanceStreamsStatusChangesAndEachImageUntilTheFinalState() throws Exception {
    HttpResponse<String> accepted = first.postJson("/v1/generations",
        "{\"id\":\"sse-1\",\"classId\":1,\"count\":" + COUNT + ",\"seed\":3,\"steps\":2}");
    assertEquals(202, accepted.statusCode(), accepted.body());

    // Both streams open at once, while the request waits in its batch: one instance owns it, the other asks.
    List<ServiceUnderTest> both = List.of(first, second);
    List<CompletableFuture<List<Sse>>> streams = both.stream().map(instance -> CompletableFuture.supplyAsync(
        () -> readToEnd(instance, "/v1/generations/sse-1/events", ServiceUnderTest.API_KEY, null))).toList();
    for (int i = 0; i < both.size(); i++) {
      ServiceUnderTest instance = both.get(i);
      List<Sse> events = streams.get(i).get(2, TimeUnit.MINUTES);
      List<Sse> statuses = events.stream().filter(e -> e.name().equals("status")).toList();
      List<String> states = new ArrayList<>();
      for (Sse status : statuses) {
        states.add(JSON.readTree(status.data()).get("state").asText());
      }
      assertEquals("QUEUED", states.get(0), events.toString());
      assertEquals("SUCCEEDED", states.get(states.size() - 1), events.toString());
      assertEquals("0-QUEUED", statuses.get(0).id());
      assertTrue(states.stream().allMatch(s -> List.of("QUEUED", "RUNNING", "SUCCEEDED").contains(s)), states.toString());
      assertEquals(states.stream().distinct().toList(), states, "one event per change: " + states);
      JsonNode last = JSON.readTree(statuses.get(statuses.size() - 1).data());
      assertEquals("sse-1", last.get("id").asText());
      assertEquals(COUNT, last.get("completed").asInt());
      assertEquals(COUNT + "-SUCCEEDED", statuses.get(statuses.size() - 1).id());
      assertEquals(statuses.get(statuses.size() - 1), events.get(events.size() - 1), "the final status ends the stream");

      List<Sse> images = events.stream().filter(e -> e.name().equals("image")).toList();
      assertEquals(COUNT, images.size(), events.toString());
      for (int index = 0; index < COUNT; index++) {
        JsonNode image = JSON.readTree(images.get(index).data());
        assertEquals(index, image.get("index").asInt());
        String url = image.get("url").asText();
        assertEquals("/v1/generations/sse-1/images/" + index, url);
        assertEquals((index + 1) + "-image", images.get(index).id());
        HttpResponse<byte[]> png = instance.getBytes(url);
        assertEquals(200, png.statusCode(), url);
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
      }
    }

    // One instance answered from its own store, the other through the owner.
    assertEquals(List.of(KeyOwner.Kind.LOCAL, KeyOwner.Kind.REMOTE), both.stream()
        .map(instance -> instance.context().getBean(KeyOwners.class).of(QueryStores.STATUS, "sse-1").kind())
        .sorted().toList());

    // A client resuming after the second image gets only what follows it.
    List<Sse> resumed = readToEnd(first, "/v1/generations/sse-1/events", ServiceUnderTest.API_KEY, "2-image");
    assertEquals(List.of("3-image", COUNT + "-SUCCEEDED"), resumed.stream().map(Sse::id).toList(), resumed.toString());
    // One that saw the end is told to stop reconnecting.
    assertEquals(204, open(first, "/v1/generations/sse-1/events", ServiceUnderTest.API_KEY, COUNT + "-SUCCEEDED")
        .statusCode());
  }

  @Test
  void anotherCallersOrAnUnknownRequestIs404AtEitherInstance() throws Exception {
    HttpResponse<String> accepted = first.postJson("/v1/generations", "{\"id\":\"sse-own-1\",\"classId\":1,\"steps\":2}");
    assertEquals(202, accepted.statusCode(), accepted.body());
    // Finished first, so that it is not in another test's batch; its owner sees it, others never do.
    first.awaitGet("/v1/generations/sse-own-1", r -> r.body().contains("SUCCEEDED"));
    for (ServiceUnderTest instance : List.of(first, second)) {
      HttpResponse<Stream<String>> others = open(instance, "/v1/generations/sse-own-1/events", "test-key-2", null);
      assertEquals(404, others.statusCode());
      String body = String.join("\n", others.body().toList());
      assertTrue(body.contains("no generation request sse-own-1 has been seen"), body);
      assertEquals(404, open(instance, "/v1/generations/never-submitted/events", ServiceUnderTest.API_KEY, null)
          .statusCode());
    }
    assertEquals(401, open(first, "/v1/generations/sse-own-1/events", null, null).statusCode());
  }

  @Test
  void streamsAboveTheInstancesCapAre503() throws Exception {
    assertEquals(202, first.postJson("/v1/generations", "{\"id\":\"sse-cap-1\",\"classId\":1,\"steps\":2}")
        .statusCode());
    // The second instance holds at most one stream (aligntok.events.max-streams=1); its headers mean it is open.
    HttpResponse<Stream<String>> held = open(second, "/v1/generations/sse-cap-1/events", ServiceUnderTest.API_KEY, null);
    assertEquals(200, held.statusCode());
    HttpResponse<Stream<String>> refused = open(second, "/v1/generations/sse-cap-1/events", ServiceUnderTest.API_KEY,
        null);
    assertEquals(503, refused.statusCode());
    assertEquals("5", refused.headers().firstValue("Retry-After").orElse(""));
    String body = String.join("\n", refused.body().toList());
    assertTrue(body.contains("maximum of 1 event streams open"), body);
    List<String> heldLines = held.body().toList(); // to the end, freeing the instance's one stream
    assertTrue(heldLines.stream().anyMatch(line -> line.contains("\"SUCCEEDED\"")), heldLines.toString());
    assertTrue(heldLines.contains(": keep-alive"), "quiet while QUEUED (3 s): " + heldLines);
  }

  private HttpResponse<Stream<String>> open(ServiceUnderTest instance, String path, String apiKey, String lastEventId) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(instance.baseUrl() + path))
        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(30));
    if (apiKey != null) {
      request.header("X-API-Key", apiKey);
    }
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A long request (many steps) runs in parts: its RUNNING status and progress between 0 and 1 commit
   * before its images, so the stream (polling the status store, which reads the status topic
   * read_committed) sends progress events before the final status, and a read_committed reader of
   * the status topic finds RUNNING, then RUNNING with rising progress, then SUCCEEDED.
   */
  @Test
  void aLongRequestStreamsProgressEventsBeforeItsFinalStateAndTheStatusTopicCarriesThem() throws Exception {
    HttpResponse<String> accepted = first.postJson("/v1/generations",
        "{\"id\":\"long-progress\",\"classId\":2,\"count\":4,\"seed\":5,\"steps\":" + LONG_STEPS + "}");
    assertEquals(202, accepted.statusCode(), accepted.body());
    List<Sse> events = CompletableFuture.supplyAsync(
        () -> readToEnd(second, "/v1/generations/long-progress/events", ServiceUnderTest.API_KEY, null))
        .get(5, TimeUnit.MINUTES);

    int finalAt = events.size() - 1;
    assertTrue(events.get(finalAt).data().contains("\"SUCCEEDED\""), events.toString());
    List<Float> progress = new ArrayList<>();
    for (Sse event : events.subList(0, finalAt)) {
      if (event.name().equals("progress")) {
        JsonNode body = JSON.readTree(event.data());
        progress.add((float) body.get("progress").asDouble());
        assertEquals(4, body.get("total").asInt(), event.toString());
        assertEquals(0, body.get("completed").asInt(), event.toString());
      }
    }
    assertTrue(progress.stream().anyMatch(p -> p > 0f && p < 1f), "progress events before the end: " + events);
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i) > progress.get(i - 1), "progress rises: " + progress);
    }

    dev.aligntok.stream.output.EventSerdes serdes = first.context().getBean(dev.aligntok.stream.output.EventSerdes.class);
    String topic = first.context().getBean(dev.aligntok.stream.config.TopicNames.class).status();
    List<dev.aligntok.events.GenerationStatus> statuses = committed(topic).stream()
        .map(value -> serdes.serde(dev.aligntok.events.GenerationStatus.class).deserializer().deserialize(topic, value))
        .filter(status -> status.getRequestId().equals("long-progress")).toList();
    List<String> states = statuses.stream().map(status -> status.getState().name()).toList();
    assertEquals("QUEUED", states.get(0), states.toString());
    assertEquals("RUNNING", states.get(1), states.toString());
    assertEquals("SUCCEEDED", states.get(states.size() - 1), states.toString());
    List<Float> committedProgress = statuses.subList(1, statuses.size() - 1).stream()
        .peek(status -> assertEquals("RUNNING", status.getState().name(), states.toString()))
        .map(dev.aligntok.events.GenerationStatus::getProgress).toList();
    assertTrue(committedProgress.stream().anyMatch(p -> p > 0f && p < 1f), committedProgress.toString());
  }

  /** Values of every committed record of {@code topic} (read_committed, from the beginning to the end offsets). */
  private List<byte[]> committed(String topic) {
    Map<String, Object> config = Map.of(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers(), org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(config,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<byte[]> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
      return values;
    }
  }

  /** Reads the stream until the server closes it; comment lines (heartbeats) are skipped. */
  private List<Sse> readToEnd(ServiceUnderTest instance, String path, String apiKey, String lastEventId) {
    HttpResponse<Stream<String>> response = open(instance, path, apiKey, lastEventId);
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
        response.headers().toString());
    List<Sse> events = new ArrayList<>();
    String id = "";
    String name = "";
    StringBuilder data = new StringBuilder();
    for (String line : (Iterable<String>) response.body()::iterator) {
      if (line.isEmpty()) {
        if (data.length() > 0 && !data.toString().isBlank()) {
          events.add(new Sse(id, name, data.toString()));
        }
        id = "";
        name = "";
        data.setLength(0);
      } else if (line.startsWith("id:")) {
        id = line.substring(3).strip();
      } else if (line.startsWith("event:")) {
        name = line.substring(6).strip();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).strip());
      }
    }
    return events;
  }

  private record Sse(String id, String name, String data) {
    @Override
    public String toString() {
      return Arrays.asList(id, name, data).toString();
    }
  }
}
