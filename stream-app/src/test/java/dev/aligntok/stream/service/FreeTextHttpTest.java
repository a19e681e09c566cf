package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/generations} with free text on a service whose bundle takes free text: 202, not
 * "closest class". No text bundle exists yet, so the kind is forced at the port
 * ({@value ServiceTestDoubles#FORCE_FREE_TEXT}) while the batch's lease is the real class bundle: the
 * request is accepted and QUEUED, then fails clearly when its batch validates it again, as after a
 * reload to a class bundle. (On a class bundle the same body is 400: {@code ServiceHttpTest}.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FreeTextHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "free-text-http-test", work.resolve("state"), Map.of(
        ServiceTestDoubles.FORCE_FREE_TEXT, "true", "aligntok.generate.max-wait", "1s")).awaitReady();
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  @Test
  void freeTextIsAcceptedThenFailsClearlyOnTheClassBundleThatRunsIt() throws Exception {
    HttpResponse<String> accepted = service.postJson("/v1/generations",
        "{\"id\":\"free-1\",\"prompt\":\"a smiling cat wearing sunglasses\"}");
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals("/v1/generations/free-1", accepted.headers().firstValue("Location").orElseThrow());
    assertEquals(202, service.postJson("/v1/generations", "{\"id\":\"free-empty\",\"prompt\":\"\"}").statusCode(),
        "the empty prompt is the unconditional one");

    HttpResponse<String> tooLong = service.postJson("/v1/generations", "{\"prompt\":\"" + "x".repeat(1_001) + "\"}");
    assertEquals(400, tooLong.statusCode(), tooLong.body());
    assertTrue(tooLong.body().contains("prompt of 1,001 characters exceeds the limit of 1,000"), tooLong.body());
    HttpResponse<String> badClass = service.postJson("/v1/generations", "{\"prompt\":\"a cat\",\"classId\":3}");
    assertEquals(400, badClass.statusCode(), badClass.body());
    assertTrue(badClass.body().contains("classId 3 is not in [0, 2]"), badClass.body());

    HttpResponse<String> failed = service.awaitGet("/v1/generations/free-1", r -> r.body().contains("\"FAILED\""));
    JsonNode status = JSON.readTree(failed.body());
    String error = status.get("error").asText();
    assertTrue(error.startsWith("request free-1 was accepted, but bundle "), error);
    assertTrue(error.contains("cannot serve it") && error.contains("unknown class prompt"), error);
  }
}
