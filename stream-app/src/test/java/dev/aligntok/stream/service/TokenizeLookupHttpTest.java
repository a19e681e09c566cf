package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.stream.service.kafka.EventPublisher;
import dev.aligntok.stream.service.kafka.OwnerTags;
import dev.aligntok.stream.testing.TestPngs;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/tokenize/{id}} through the running service (real broker, real encoder): the
 * uploader sees its latent's layout and the pipeline's timings once produced; another caller and an
 * unknown id get the same 404; an image written to Kafka directly is an admin's, whatever owner its
 * metadata claims; and with the lookup off the route says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenizeLookupHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ALICE = "alice-key";
  private static final String STRANGER = "test-key-2";
  private static final String ADMIN = ServiceUnderTest.ADMIN_KEY;

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "latent-lookup-test", work.resolve("state"), Map.of(
        "aligntok.auth.keys.alice.key", ALICE,
        "aligntok.tokenize.owner-secret", "a-test-owner-secret-of-32-bytes-or-more")).awaitReady();
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stopping = service) {
      // nothing to do but close
    }
  }

  @Test
  void theUploaderSeesItsLatentsShapeAndTimingsAndNobodyElseDoes() throws Exception {
    long submittedAtMs = System.currentTimeMillis();
    assertEquals(202, service.send("POST", "/v1/tokenize?id=lookup-1&label=cat", ALICE, "image/png",
        TestPngs.solid(6, 4, 10, 20, 30)).statusCode());

    HttpResponse<String> found = service.awaitGetAs("/v1/tokenize/lookup-1", ALICE, r -> r.statusCode() != 404);
    assertEquals(200, found.statusCode(), found.body());
    JsonNode body = JSON.readTree(found.body());
    BundleManifest bundle = BundleFiles.verify(ServiceTestDoubles.BUNDLE).manifest();
    assertEquals("lookup-1", body.get("id").asText());
    assertEquals(List.of(bundle.latent().channels(), bundle.latent().height(), bundle.latent().width()),
        JSON.convertValue(body.at("/latent/shape"), List.class), found.body());
    assertEquals("F32", body.at("/latent/dtype").asText());
    assertEquals(bundle.id(), body.at("/latent/bundleId").asText());
    assertEquals("cat", body.get("label").asText());
    for (String timing : List.of("queue", "decode", "encode", "batch")) {
      assertTrue(body.at("/timingsMs/" + timing).isNumber(), timing + " in " + found.body());
    }
    assertTrue(body.get("producedAtMs").asLong() >= submittedAtMs, "produced after it was sent: " + found.body());
    assertTrue(!found.body().contains("\"data\"") && !found.body().contains("owner"),
        "neither the tensor nor the owner is part of the answer: " + found.body());

    assertEquals(200, service.send("GET", "/v1/tokenize/lookup-1", ADMIN, null, null).statusCode(), "an admin sees it");
    HttpResponse<String> stranger = service.send("GET", "/v1/tokenize/lookup-1", STRANGER, null, null);
    HttpResponse<String> unknown = service.send("GET", "/v1/tokenize/never-uploaded", STRANGER, null, null);
    assertEquals(404, stranger.statusCode(), stranger.body());
    assertEquals(404, unknown.statusCode(), unknown.body());
    assertEquals(unknown.body().replace("never-uploaded", "lookup-1"), stranger.body(),
        "another caller's latent reads exactly like an unknown id");
    assertTrue(unknown.body().startsWith("{\"message\":"), unknown.body());
  }

  @Test
  void anImageWrittenToKafkaDirectlyIsAnAdminsWhateverOwnerItClaims() throws Exception {
    // A forged tag, and a real tag of another image id copied over: neither makes Alice the owner.
    Map<String, String> copied = service.context().getBean(OwnerTags.class).tagged(Map.of(), "lookup-other", "key:alice");
    Map<String, Map<String, String>> claims = Map.of(
        "direct-1", Map.of(OwnerTags.OWNER_KEY, "key:alice", OwnerTags.TAG_KEY, "forged"),
        "direct-2", copied,
        "direct-3", Map.of());
    EventPublisher publisher = service.context().getBean(EventPublisher.class);
    claims.forEach((id, metadata) -> publisher.image(ImageEvent.newBuilder().setId(id)
        .setData(ByteBuffer.wrap(TestPngs.solid(4, 4, 1, 2, 3))).setContentType("image/png")
        .setMetadata(metadata).setCreatedAtMs(Instant.now()).build()));
    for (String id : claims.keySet()) {
      service.awaitGetAs("/v1/tokenize/" + id, ADMIN, r -> r.statusCode() == 200);
      HttpResponse<String> alice = service.send("GET", "/v1/tokenize/" + id, ALICE, null, null);
      assertEquals(404, alice.statusCode(), id + ": " + alice.body());
    }
  }

  @Test
  void withTheLookupOffTheRouteSaysSoAndTheServiceStillTokenizes() {
    try (ServiceUnderTest off = ServiceUnderTest.start(kafka.bootstrapServers(), "latent-lookup-off",
        work.resolve("state-off"), Map.of("aligntok.tokenize.lookup-enabled", "false")).awaitReady()) {
      assertEquals(202, off.send("POST", "/v1/tokenize?id=lookup-off-1", ADMIN, "image/png",
          TestPngs.solid(4, 4, 1, 2, 3)).statusCode());
      HttpResponse<String> answer = off.send("GET", "/v1/tokenize/lookup-off-1", ADMIN, null, null);
      assertEquals(404, answer.statusCode(), answer.body());
      assertTrue(answer.body().contains("aligntok.tokenize.lookup-enabled=false"), answer.body());
    }
  }
}
