package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.stream.service.http.TestJwts;
import dev.aligntok.stream.testing.TestPngs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-caller quotas over real HTTP on the running service (real broker, real filter): the submission
 * rate (a token bucket on a clock the test drives, so nothing depends on wall time) and the in-flight
 * count (from the status topic; requests stay QUEUED until a batch of 8 images is full, so the test
 * decides when they run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_IN_FLIGHT = 2;
  private static final int PER_MINUTE = 2;
  private static final String OWNER = ServiceUnderTest.API_KEY;
  private static final String STRANGER = "test-key-2";

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;
  private ManualQuotaClock clock;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "quota-test", work.resolve("state"), Map.of(
        ManualQuotaClock.PROPERTY, "true",
        "aligntok.quotas.max-in-flight", MAX_IN_FLIGHT,
        "aligntok.quotas.submissions-per-minute", PER_MINUTE,
        // One partition: every request waits in one queue, which runs only when 8 images are there.
        "aligntok.topics.partitions", 1,
        "aligntok.generate.max-wait", "10m")).awaitReady();
    clock = service.context().getBean(ManualQuotaClock.class);
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  @Test
  void aCallerAboveItsRateHears429WithRetryAfterAndOtherCallersGoOn() throws Exception {
    byte[] png = TestPngs.solid(4, 4, 1, 2, 3);
    for (int i = 0; i < PER_MINUTE; i++) {
      assertEquals(202, tokenize(OWNER, png).statusCode());
    }
    HttpResponse<String> refused = tokenize(OWNER, png);
    assertEquals(429, refused.statusCode(), refused.body());
    // 2 per minute: the next token is 30 s away on the clock that stood still.
    assertEquals("30", refused.headers().firstValue("Retry-After").orElseThrow());
    JsonNode body = JSON.readTree(refused.body());
    assertTrue(body.get("message").asText().contains("at most 2 submissions per minute"), refused.body());
    assertEquals("submissionsPerMinute", body.get("errors").get(0).get("field").asText());

    assertEquals(202, tokenize(STRANGER, png).statusCode(), "another caller has its own bucket");
    clock.advance(Duration.ofSeconds(29));
    HttpResponse<String> early = tokenize(OWNER, png);
    assertEquals(429, early.statusCode());
    assertEquals("1", early.headers().firstValue("Retry-After").orElseThrow(), "refusals take nothing: 1 s left");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(202, tokenize(OWNER, png).statusCode(), "after Retry-After a token is there");
    assertEquals(429, tokenize(OWNER, png).statusCode(), "and only one");
  }

  @Test
  void aCallerAtItsInFlightQuotaHears429UntilOneOfItsRequestsEnds() throws Exception {
    String caller = bearer("in-flight-caller");
    assertEquals(202, submit("{\"id\":\"flight-1\",\"classId\":1}", caller).statusCode());
    assertEquals(202, submit("{\"id\":\"flight-2\",\"classId\":2}", caller).statusCode());
    service.awaitGetAs("/v1/quotas", caller, r -> inFlight(r) == 2);

    // The same id again is the first request, not a new one: 409, no quota used, still 2 in flight.
    clock.advance(Duration.ofMinutes(1));
    HttpResponse<String> again = submit("{\"id\":\"flight-1\",\"classId\":1}", caller);
    assertEquals(409, again.statusCode(), again.body());
    assertEquals(2, inFlight(service.send("GET", "/v1/quotas", caller, null, null)));

    HttpResponse<String> refused = submit("{\"id\":\"flight-3\",\"classId\":0}", caller);
    assertEquals(429, refused.statusCode(), refused.body());
    assertEquals("5", refused.headers().firstValue("Retry-After").orElseThrow());
    JsonNode body = JSON.readTree(refused.body());
    assertEquals("maxInFlight", body.get("errors").get(0).get("field").asText());
    assertTrue(body.get("message").asText().contains("at most 2 generation requests in flight"), refused.body());

    // Another caller is not held back; its 6 images fill the batch of 8, and all three requests run.
    assertEquals(202, submit("{\"id\":\"filler\",\"classId\":0,\"count\":6}", STRANGER).statusCode());
    service.awaitGetAs("/v1/generations/flight-2", caller, r -> r.body().contains("\"SUCCEEDED\""));
    service.awaitGetAs("/v1/quotas", caller, r -> inFlight(r) == 0);
    // 202, not 409: the refused submission was never published.
    assertEquals(202, submit("{\"id\":\"flight-3\",\"classId\":0}", caller).statusCode(), "a slot is free again");
  }

  private HttpResponse<String> tokenize(String key, byte[] png) {
    return service.send("POST", "/v1/tokenize", key, "image/png", png);
  }

  private HttpResponse<String> submit(String json, String credential) {
    return service.postJson("/v1/generations", json, credential);
  }

  private static long inFlight(HttpResponse<String> quotas) {
    try {
      return quotas.statusCode() == 200 ? JSON.readTree(quotas.body()).get("inFlight").asLong() : -1;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String bearer(String subject) {
    String claims = "{\"iss\":\"https://issuer.test\",\"aud\":\"" + ServiceUnderTest.JWT_AUDIENCE + "\",\"sub\":\""
        + subject + "\",\"exp\":" + (Instant.now().getEpochSecond() + 3600) + "}";
    return "Bearer " + TestJwts.hs256(ServiceUnderTest.JWT_SECRET, claims);
  }
}
