package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.stream.service.http.TestJwts;
import dev.aligntok.stream.service.kafka.KafkaClientConfigs;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.stream.testing.TinyBundles;
import dev.aligntok.stream.testing.TestPngs;
import java.awt.image.BufferedImage;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of the running service: Micronaut + Kafka Streams against a real KRaft broker on
 * loopback, the real ONNX runtime on a tiny bundle; the schema registry is in-process (see
 * {@link ServiceTestDoubles}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path work;
  /** Where reloads may find bundles (aligntok.model.bundle-roots), besides the tiny bundle's own directory. */
  private static Path bundleRoot;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    bundleRoot = Files.createDirectories(work.resolve("bundles"));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "http-test", work.resolve("state"), Map.of(
        "aligntok.model.bundle-roots", bundleRoot + "," + ServiceTestDoubles.BUNDLE.getParent())).awaitReady();
  }

  @AfterAll
  void stop() {
    // Resources close in reverse order (the service, then the broker); null ones are skipped.
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  @Test
  void requestsWithoutAValidKeyAre401AndWithOneAreServed() throws Exception {
    byte[] png = TestPngs.solid(4, 4, 10, 20, 30);
    HttpResponse<String> missing = service.send("POST", "/v1/tokenize", null, "image/png", png);
    assertEquals(401, missing.statusCode(), missing.body());
    assertTrue(missing.body().contains("authentication required"), missing.body());
    assertEquals(401, service.send("GET", "/v1/generations/anything", "wrong-key", null, null).statusCode());

    HttpResponse<String> accepted = service.send("POST", "/v1/tokenize?id=img-auth-1", "test-key-2", "image/png", png);
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals("img-auth-1", JSON.readTree(accepted.body()).get("id").asText());
  }

  @Test
  void bearerTokensFromTheConfiguredIssuerAreServedAndExpiredOnesAre401() throws Exception {
    long now = System.currentTimeMillis() / 1000;
    String valid = TestJwts.hs256(ServiceUnderTest.JWT_SECRET, "{\"iss\":\"https://issuer.test\",\"aud\":\""
        + ServiceUnderTest.JWT_AUDIENCE + "\",\"sub\":\"client-1\",\"exp\":" + (now + 600) + "}");
    HttpResponse<String> accepted = service.send("POST", "/v1/tokenize?id=img-jwt-1", "Bearer " + valid, "image/png",
        TestPngs.solid(4, 4, 1, 2, 3));
    assertEquals(202, accepted.statusCode(), accepted.body());

    String expired = TestJwts.hs256(ServiceUnderTest.JWT_SECRET, "{\"iss\":\"https://issuer.test\",\"aud\":\""
        + ServiceUnderTest.JWT_AUDIENCE + "\",\"sub\":\"client-1\",\"exp\":" + (now - 3600) + "}");
    HttpResponse<String> refused = service.send("GET", "/v1/generations/anything", "Bearer " + expired, null, null);
    assertEquals(401, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("authentication required") && !refused.body().contains("expired "),
        "generic, the reason goes to the log: " + refused.body());
    assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
  }

  @Test
  void invalidGenerationRequestsAre400WithEveryFieldsProblem() throws Exception {
    HttpResponse<String> response = service.postJson("/v1/generations",
        "{\"id\":\"has space\",\"count\":99,\"steps\":0,\"cfgScale\":-1,\"sampler\":\"DDIM\","
            + "\"cfgInterval\":{\"low\":0.9,\"high\":0.1}}");
    assertEquals(400, response.statusCode(), response.body());
    Map<String, String> errors = fieldErrors(response);
    assertEquals(List.of("cfgInterval", "cfgScale", "count", "id", "prompt", "sampler", "steps"),
        new ArrayList<>(errors.keySet()), response.body());
    assertTrue(errors.get("count").contains("[1, 8]"), errors.toString());
    assertTrue(errors.get("prompt").contains("either prompt or classId"), errors.toString());

    HttpResponse<String> wrongType = service.postJson("/v1/generations", "{\"prompt\":\"cat\",\"count\":\"many\"}");
    assertEquals(400, wrongType.statusCode(), wrongType.body());
    assertTrue(fieldErrors(wrongType).get("body").contains("Integer"), wrongType.body());
    HttpResponse<String> notJson = service.postJson("/v1/generations", "{not json");
    assertEquals(400, notJson.statusCode(), notJson.body());
    assertEquals("the body is not valid JSON", JSON.readTree(notJson.body()).get("message").asText());
    HttpResponse<String> badIndex = service.get("/v1/generations/x/images/first");
    assertEquals(400, badIndex.statusCode(), badIndex.body());
    assertTrue(fieldErrors(badIndex).containsKey("index"), badIndex.body());

    HttpResponse<String> unknownClass = service.postJson("/v1/generations", "{\"prompt\":\"unicorn\"}");
    assertEquals(400, unknownClass.statusCode(), unknownClass.body());
    assertTrue(fieldErrors(unknownClass).containsKey("prompt"), unknownClass.body());
  }

  @Test
  void requestsBeyondTheLimitsAre400NamingTheLimitNotTheInput() throws Exception {
    String prompt = "caat".repeat(10_000); // within the JSON body limit (64 KiB); a larger body is 413
    HttpResponse<String> response = service.postJson("/v1/generations",
        "{\"prompt\":\"" + prompt + "\",\"priority\":1001,\"metadata\":{\"pad\":\"" + "x".repeat(9_000) + "\"}}");
    assertEquals(400, response.statusCode(), response.body().substring(0, Math.min(500, response.body().length())));
    Map<String, String> errors = fieldErrors(response);
    assertEquals("prompt of 40,000 characters exceeds the limit of 1,000", errors.get("prompt"));
    assertEquals("priority 1001 is not in [-1000, 1000]", errors.get("priority"));
    assertTrue(errors.get("metadata").contains("more than 8,192 bytes"), errors.toString());
    assertTrue(response.body().length() < 1_000, "the answer quotes none of the input: " + response.body().length());
  }

  @Test
  void anUnseenIdIs404ASubmittedOneIsQueuedAndCanBeCancelledOnce() throws Exception {
    HttpResponse<String> unseen = service.get("/v1/generations/never-submitted");
    assertEquals(404, unseen.statusCode(), unseen.body());
    assertEquals(404, service.send("DELETE", "/v1/generations/never-submitted", ServiceUnderTest.API_KEY, null, null)
        .statusCode());

    HttpResponse<String> accepted = service.postJson("/v1/generations", "{\"id\":\"gen-queued-1\",\"prompt\":\"cat\"}");
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals("/v1/generations/gen-queued-1", accepted.headers().firstValue("Location").orElseThrow());

    // One image waits up to max-wait (20 s) for companions: QUEUED, not 404.
    HttpResponse<String> queued = service.awaitGet("/v1/generations/gen-queued-1", r -> r.statusCode() == 200);
    JsonNode status = JSON.readTree(queued.body());
    assertEquals("QUEUED", status.get("state").asText(), queued.body());
    assertEquals(1, status.get("total").asInt());
    HttpResponse<String> resubmitted = service.postJson("/v1/generations", "{\"id\":\"gen-queued-1\",\"prompt\":\"dog\"}");
    assertEquals(409, resubmitted.statusCode(), "a known id is refused at once: " + resubmitted.body());
    assertTrue(resubmitted.body().contains("gen-queued-1 was submitted before"), resubmitted.body());
    assertEquals("/v1/generations/gen-queued-1", resubmitted.headers().firstValue("Location").orElseThrow());

    HttpResponse<String> cancel = service.send("DELETE", "/v1/generations/gen-queued-1", ServiceUnderTest.API_KEY,
        null, null);
    assertEquals(202, cancel.statusCode(), cancel.body());
    HttpResponse<String> cancelled = service.awaitGet("/v1/generations/gen-queued-1",
        r -> r.body().contains("\"CANCELLED\""));
    assertEquals("Cancelled", JSON.readTree(cancelled.body()).get("errorClass").asText());
    HttpResponse<String> again = service.send("DELETE", "/v1/generations/gen-queued-1", ServiceUnderTest.API_KEY,
        null, null);
    assertEquals(409, again.statusCode(), again.body());
  }

  @Test
  void aFullBatchRunsAndItsImagesAreServedAsPng() throws Exception {
    HttpResponse<String> accepted = service.postJson("/v1/generations",
        "{\"id\":\"gen-full-1\",\"classId\":2,\"count\":8,\"seed\":5,\"steps\":12,\"priority\":10}");
    assertEquals(202, accepted.statusCode(), accepted.body());
    HttpResponse<String> done = service.awaitGet("/v1/generations/gen-full-1",
        r -> r.body().contains("\"SUCCEEDED\""));
    JsonNode status = JSON.readTree(done.body());
    assertEquals(8, status.get("completed").asInt());
    byte[] expectedImage3;
    try (ModelBundle reference = ModelBundle.load(ServiceTestDoubles.BUNDLE, TinyBundles.CPU, ImageLimits.DEFAULT)) {
      assertEquals(reference.id(), status.get("bundleId").asText());
      expectedImage3 = reference.generation().generate(List.of(SamplingJob.ofClass(2, 5 + 3, 0)
          .withSettings(reference.generation().defaults().withSteps(12)))).get(0).png();
    }

    service.awaitGet("/v1/generations/gen-full-1/images/7", r -> r.statusCode() == 200);
    HttpResponse<byte[]> image = service.getBytes("/v1/generations/gen-full-1/images/3");
    assertEquals(200, image.statusCode());
    assertEquals("image/png", image.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(expectedImage3, image.body(), "image 3 is the runtime's image for seed + 3");
    assertEquals(404, service.get("/v1/generations/gen-full-1/images/8").statusCode());
  }

  @Test
  void aBundleReloadSwapsTheModelAndABrokenBundleIsRejected() throws Exception {
    String original;
    try (ModelBundle serving = ModelBundle.load(ServiceTestDoubles.BUNDLE, TinyBundles.CPU, ImageLimits.DEFAULT)) {
      original = serving.id();
    }
    Path next = TinyBundles.write(bundleRoot.resolve("next-bundle"), "reloaded");
    String body = "{\"path\":\"" + next + "\"}";
    assertEquals(401, service.send("POST", "/v1/admin/bundle", null, "application/json",
        body.getBytes(StandardCharsets.UTF_8)).statusCode(), "reloading needs credentials");
    assertEquals(403, service.postJson("/v1/admin/bundle", body).statusCode(), "and the admin role");
    try {
      HttpResponse<String> swapped = service.postJson("/v1/admin/bundle", body, ServiceUnderTest.ADMIN_KEY);
      assertEquals(200, swapped.statusCode(), swapped.body());
      String nextId = JSON.readTree(swapped.body()).get("bundleId").asText();
      assertNotEquals(original, nextId);

      Path broken = Files.createDirectories(bundleRoot.resolve("broken-bundle"));
      Files.writeString(broken.resolve("manifest.json"), "{not json");
      HttpResponse<String> rejected = service.postJson("/v1/admin/bundle", "{\"path\":\"" + broken + "\"}",
          ServiceUnderTest.ADMIN_KEY);
      assertEquals(422, rejected.statusCode(), rejected.body());
      assertTrue(rejected.body().contains(nextId), "names the bundle kept: " + rejected.body());
      assertFalse(rejected.body().contains(work.toString()), "but no file system path: " + rejected.body());
      assertEquals(400, service.postJson("/v1/admin/bundle", "{}", ServiceUnderTest.ADMIN_KEY).statusCode());

      assertEquals(202, service.postJson("/v1/generations", "{\"id\":\"after-reload-1\",\"classId\":0,\"steps\":2}")
          .statusCode());
      HttpResponse<String> done = service.awaitGet("/v1/generations/after-reload-1", r -> r.body().contains("\"SUCCEEDED\""));
      assertEquals(nextId, JSON.readTree(done.body()).get("bundleId").asText(), "outputs carry the new bundle's id");
    } finally {
      assertEquals(200, service.postJson("/v1/admin/bundle", "{\"path\":\"" + ServiceTestDoubles.BUNDLE + "\"}",
          ServiceUnderTest.ADMIN_KEY).statusCode(), "back to the original bundle for the other tests");
    }
  }

  @Test
  void tokenizeAcceptsPngAndJpegOnlyAndChecksTheBytes() throws Exception {
    assertEquals(415, service.send("POST", "/v1/tokenize", ServiceUnderTest.API_KEY, "text/plain",
        "hello".getBytes(StandardCharsets.UTF_8)).statusCode());
    HttpResponse<String> notPng = service.send("POST", "/v1/tokenize?id=bad%20id", ServiceUnderTest.API_KEY,
        "image/png", new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertEquals(400, notPng.statusCode(), notPng.body());
    assertEquals(List.of("body", "id"), new ArrayList<>(fieldErrors(notPng).keySet()), notPng.body());
    HttpResponse<String> accepted = service.send("POST", "/v1/tokenize", ServiceUnderTest.API_KEY, "image/png",
        TestPngs.solid(8, 8, 200, 100, 0));
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertTrue(JSON.readTree(accepted.body()).get("id").asText().length() >= 32, "a UUID is assigned");
  }

  @Test
  void tokenizeAcceptsWebpGifAndBmpByTheirSignaturesAndA415ListsTheAcceptedTypes() throws Exception {
    HttpResponse<String> wrongType = service.send("POST", "/v1/tokenize", ServiceUnderTest.API_KEY, "image/tiff",
        new byte[] {'I', 'I', 42, 0});
    assertEquals(415, wrongType.statusCode(), wrongType.body());
    for (String type : List.of("image/tiff", "image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp")) {
      assertTrue(wrongType.body().contains(type), "the 415 names " + type + ": " + wrongType.body());
    }
    BufferedImage noise = new BufferedImage(6, 4, BufferedImage.TYPE_INT_RGB);
    noise.setRGB(0, 0, 6, 4, new SplittableRandom(3).ints(24, 0, 1 << 24).toArray(), 0, 6);
    // The controller checks the signature only (decoding is the pipeline's): a RIFF/WEBP header is a WebP.
    byte[] webp = {'R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'E', 'B', 'P'};
    Map<String, byte[]> bodies = Map.of("image/webp", webp, "image/gif", encoded(noise, "gif"),
        "image/bmp", encoded(noise, "bmp"));
    for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
      HttpResponse<String> accepted = service.send("POST", "/v1/tokenize", ServiceUnderTest.API_KEY, body.getKey(),
          body.getValue());
      assertEquals(202, accepted.statusCode(), body.getKey() + ": " + accepted.body());
    }
    HttpResponse<String> pngAsWebp = service.send("POST", "/v1/tokenize", ServiceUnderTest.API_KEY, "image/webp",
        TestPngs.solid(4, 4, 1, 2, 3));
    assertEquals(400, pngAsWebp.statusCode(), pngAsWebp.body());
    assertTrue(pngAsWebp.body().contains("is not a image/webp image"), pngAsWebp.body());
  }

  private static byte[] encoded(BufferedImage image, String format) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    assertTrue(ImageIO.write(image, format, bytes), "the JDK writes " + format);
    return bytes.toByteArray();
  }

  @Test
  void healthReportsKafkaStreamsRunningAndTheModelLoadedOnTheManagementPort() throws Exception {
    HttpResponse<String> health = service.management("/health");
    assertEquals(200, health.statusCode(), health.body());
    JsonNode details = JSON.readTree(health.body()).get("details");
    assertEquals("UP", details.get("kafkaStreams").get("status").asText(), health.body());
    assertEquals("RUNNING", details.get("kafkaStreams").get("details").get("state").asText(), health.body());
    assertEquals("UP", details.get("model").get("status").asText(), health.body());
    assertEquals("CPU", details.get("model").get("details").get("provider").asText());
    HttpResponse<String> readiness = service.management("/health/readiness");
    assertEquals(200, readiness.statusCode(), readiness.body());
    assertTrue(readiness.body().contains("kafkaStreams") && readiness.body().contains("model"), readiness.body());
    HttpResponse<String> liveness = service.management("/health/liveness");
    assertEquals(200, liveness.statusCode(), liveness.body());
    assertTrue(liveness.body().contains("kafkaStreamsAlive"), liveness.body());
  }

  @Test
  void theApiPortAnswersProbesAnonymouslyWithoutDetailsAndHasNoHealthOrMetrics() throws Exception {
    for (String probe : List.of("/health/readiness", "/health/liveness")) {
      HttpResponse<String> answer = service.send("GET", probe, null, null, null);
      assertEquals(200, answer.statusCode(), answer.body());
      assertEquals("{\"status\":\"UP\"}", answer.body(), "the status and nothing else");
    }
    assertEquals(404, service.send("GET", "/health", null, null, null).statusCode());
    assertEquals(404, service.send("GET", "/prometheus", null, null, null).statusCode());
  }

  @Test
  void openApiDocumentAndManagementPortMetricsAreServedWithoutAKey() {
    HttpResponse<String> openapi = service.send("GET", "/openapi.yml", null, null, null);
    assertEquals(200, openapi.statusCode());
    assertTrue(openapi.body().startsWith("openapi: 3"), openapi.body());
    assertTrue(openapi.body().contains("/v1/generations/{id}/images/{index}"));

    HttpResponse<String> metrics = service.management("/prometheus");
    assertEquals(200, metrics.statusCode(), metrics.body());
    for (String name : List.of("aligntok_records_in_total{pipeline=\"tokenize\"", "aligntok_records_in_total{pipeline=\"generate\"",
        "aligntok_batch_size_images_bucket", "aligntok_batch_latency_seconds_bucket", "aligntok_inference_time_seconds",
        "aligntok_pending_units", "aligntok_dead_letters_total", "aligntok_model_loaded{provider=\"CPU\"")) {
      assertTrue(metrics.body().contains(name), "missing " + name);
    }
  }

  @Test
  void passThroughKafkaPropertiesReachKafkaStreams() {
    Map<String, String> passThrough = service.context().getBean(KafkaClientConfigs.class).passThrough();
    assertEquals(Map.of("state.dir", work.resolve("state").toString()), passThrough);
    assertTrue(Files.isDirectory(work.resolve("state").resolve("http-test")), "Streams state lives in state.dir");
  }

  private static Map<String, String> fieldErrors(HttpResponse<String> response) throws Exception {
    Map<String, String> errors = new TreeMap<>();
    for (JsonNode error : JSON.readTree(response.body()).get("errors")) {
      errors.put(error.get("field").asText(), error.get("message").asText());
    }
    return errors;
  }
}
