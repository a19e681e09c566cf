package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.stream.testing.TinyBundles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DELETE /v1/generations/{id}} on a request whose batch is running, through the real service,
 * broker and ONNX runtime: the cancellation travels the cancellations topic to the global store, the
 * sampler drops the request's rows at its next step, the request ends CANCELLED without images, and
 * the request batched with it still gives exactly its images.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelWhileRunningHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int STEPS = 250;

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    // One partition and a batch of 4 images: the two requests (3 + 1 images) fill one batch at once.
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "cancel-running-test", work.resolve("state"), Map.of(
        "aligntok.topics.partitions", 1,
        "aligntok.generate.batch-size", 4,
        "aligntok.generate.max-wait", "60s")).awaitReady();
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  @Test
  void aRequestCancelledWhileItRunsEndsCancelledAndItsBatchMateSucceeds() throws Exception {
    SlowGenerator generator = service.context().getBean(SlowGenerator.class);
    generator.holdUntilCancelled("long-1");
    HttpResponse<String> accepted = service.postJson("/v1/generations",
        "{\"id\":\"long-1\",\"classId\":0,\"count\":3,\"seed\":1,\"steps\":" + STEPS + "}");
    assertEquals(202, accepted.statusCode(), accepted.body());
    service.awaitGet("/v1/generations/long-1", r -> r.statusCode() == 200); // QUEUED committed, so DELETE finds it
    accepted = service.postJson("/v1/generations",
        "{\"id\":\"mate-1\",\"classId\":1,\"count\":1,\"seed\":9,\"steps\":" + STEPS + "}");
    assertEquals(202, accepted.statusCode(), accepted.body());

    assertTrue(generator.awaitHeld(Duration.ofSeconds(60)), "the batch did not start sampling long-1");
    HttpResponse<String> cancel = service.send("DELETE", "/v1/generations/long-1", ServiceUnderTest.API_KEY, null, null);
    assertEquals(202, cancel.statusCode(), cancel.body());

    JsonNode cancelled = JSON.readTree(service.awaitGet("/v1/generations/long-1",
        r -> r.body().contains("\"CANCELLED\"")).body());
    assertEquals(3, cancelled.get("total").asInt());
    assertEquals(0, cancelled.get("completed").asInt(), "its images were rows of the stopped run: none finished");
    assertEquals("Cancelled", cancelled.get("errorClass").asText());
    assertTrue(cancelled.get("error").asText().contains("while it ran"), cancelled.toString());
    assertEquals(404, service.get("/v1/generations/long-1/images/0").statusCode());

    JsonNode mate = JSON.readTree(service.awaitGet("/v1/generations/mate-1",
        r -> r.body().contains("\"SUCCEEDED\"")).body());
    assertEquals(1, mate.get("completed").asInt());
    byte[] expected;
    try (ModelBundle reference = ModelBundle.load(ServiceTestDoubles.BUNDLE, TinyBundles.CPU, ImageLimits.DEFAULT)) {
      expected = reference.generation().generate(List.of(SamplingJob.ofClass(1, 9, 0)
          .withSettings(reference.generation().defaults().withSteps(STEPS)))).get(0).png();
    }
    service.awaitGet("/v1/generations/mate-1/images/0", r -> r.statusCode() == 200);
    assertArrayEquals(expected, service.getBytes("/v1/generations/mate-1/images/0").body(),
        "the batch-mate's image is the one it gives alone");
  }
}
