package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API of the service in its own JVM against the real broker and registry, API keys on:
 * a generation request goes from 202 to SUCCEEDED and its image comes back as a PNG; an image sent
 * to /v1/tokenize comes out as a latent on the latents topic; an unknown id is 404, a call without
 * the key 401, an invalid request 400; and a request still waiting for its batch is cancelled.
 *
 * <p>Cancellation is made deterministic by the batching: a batch runs when it holds 8 images or its
 * oldest request has waited a minute, so a lone 1-image request stays QUEUED until it is cancelled,
 * while an 8-image request fills a batch and runs at once.
 */
@WithRealStack
class HttpApiRoundTripTest {
  private static final String API_KEY = "round-trip-key";
  private static final int BATCH_IMAGES = 8;

  @TempDir Path tmp;

  @Test
  void generateTokenizeLookUpAndCancelThroughTheHttpApi(RealStack stack) throws Exception {
    try (FaultRun run = new FaultRun(stack, "http-api", tmp, Map.of(
             "aligntok.auth.enabled", "true", "aligntok.auth.api-keys", API_KEY,
             "aligntok.generate.batch-size", Integer.toString(BATCH_IMAGES), "aligntok.generate.max-wait", "60s"));
         ServiceProcess service = run.startService()) {
      ServiceHttp api = new ServiceHttp(service, API_KEY);
      ServiceHttp anonymous = new ServiceHttp(service, null);
      BundleManifest bundle = BundleFiles.verify(GenerationBacklog.DEFAULT_BUNDLE).manifest();
      String className = bundle.labels().vocabulary().names().get(0);

      assertEquals(401, anonymous.postJson("/v1/generations", "{\"prompt\":\"" + className + "\"}").statusCode(),
          "no API key, no request");
      assertEquals(401, anonymous.get("/v1/generations/anything").statusCode(), "no API key, no status");
      HttpResponse<byte[]> unknown = api.get("/v1/generations/never-submitted");
      assertEquals(404, unknown.statusCode(), ServiceHttp.text(unknown));
      HttpResponse<byte[]> invalid = api.postJson("/v1/generations", "{\"prompt\":\"" + className + "\",\"steps\":0}");
      assertEquals(400, invalid.statusCode(), ServiceHttp.text(invalid));
      assertTrue(ServiceHttp.text(invalid).contains("steps"), "the 400 names the field: " + ServiceHttp.text(invalid));

      // Cancel: a lone 1-image request waits for companions (max-wait 60 s), so it is still QUEUED.
      assertEquals(202, api.postJson("/v1/generations",
          "{\"id\":\"lonely\",\"prompt\":\"" + className + "\",\"count\":1,\"steps\":2}").statusCode());
      api.awaitJson("/v1/generations/lonely", s -> s.get("state").asText().equals("QUEUED"), Duration.ofSeconds(30));
      HttpResponse<byte[]> cancel = api.send("DELETE", "/v1/generations/lonely", null, null);
      assertEquals(202, cancel.statusCode(), ServiceHttp.text(cancel));
      api.awaitJson("/v1/generations/lonely", s -> s.get("state").asText().equals("CANCELLED"), Duration.ofSeconds(30));
      assertEquals(409, api.send("DELETE", "/v1/generations/lonely", null, null).statusCode(),
          "a request that has ended cannot be cancelled again");

      // Generate: 8 images fill a batch, which runs at once.
      HttpResponse<byte[]> accepted = api.postJson("/v1/generations",
          "{\"prompt\":\"" + className + "\",\"count\":" + BATCH_IMAGES + ",\"steps\":2,\"seed\":5}");
      assertEquals(202, accepted.statusCode(), ServiceHttp.text(accepted));
      String id = ServiceHttp.json(accepted).get("id").asText();
      JsonNode done = api.awaitJson("/v1/generations/" + id,
          s -> !List.of("QUEUED", "RUNNING").contains(s.get("state").asText()), Duration.ofSeconds(60));
      assertEquals("SUCCEEDED", done.get("state").asText(), done.toString());
      assertEquals(bundle.id(), done.get("bundleId").asText(), "the status names the bundle");
      HttpResponse<byte[]> png = api.get("/v1/generations/" + id + "/images/0");
      assertEquals(200, png.statusCode(), ServiceHttp.text(png));
      assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
      assertNotNull(image, "the body is a readable PNG");
      assertEquals(List.of(bundle.preprocessing().size(), bundle.preprocessing().size()),
          List.of(image.getWidth(), image.getHeight()), "the bundle's image size");
      assertEquals(404, api.get("/v1/generations/" + id + "/images/" + BATCH_IMAGES).statusCode(),
          "no image past the count");

      // Tokenize: the image comes out as a latent on the latents topic.
      byte[] sent = InputEvents.noisePng(32, 32, new SplittableRandom(11));
      HttpResponse<byte[]> tokenize = api.send("POST", "/v1/tokenize?id=http-image-1", "image/png", sent);
      assertEquals(202, tokenize.statusCode(), ServiceHttp.text(tokenize));
      assertEquals("http-image-1", ServiceHttp.json(tokenize).get("id").asText());
      CommittedOutputs out = FaultRun.explained(service, () -> CommittedOutputs.read(stack,
          List.of(run.topics.latents()), o -> !o.of(run.topics.latents()).isEmpty(), Duration.ofSeconds(30),
          Duration.ZERO));
      LatentEvent latent = out.values(run.topics.latents(), LatentEvent.class, run.serdes).get(0);
      assertEquals("http-image-1", latent.getId());
      assertEquals(bundle.id(), latent.getBundleId());
      var shape = bundle.latent();
      assertEquals(List.of(shape.channels(), shape.height(), shape.width()), latent.getLatent().getShape());
    }
  }
}
