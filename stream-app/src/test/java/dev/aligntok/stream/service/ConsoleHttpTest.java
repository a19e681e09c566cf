package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.stream.testing.TestPngs;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console's files through the running service, authentication on: they are served without
 * credentials, with the security headers, and only the named files are; the API next to them still
 * asks for credentials; and the tokenize 202 the console's tokenize page shows carries the latent's shape.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=");
  private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>");

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "console-test", work.resolve("state"), Map.of())
        .awaitReady();
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stopping = service) {
      // nothing to do but close
    }
  }

  @Test
  void theConsoleIsServedWithoutCredentialsWithItsSecurityHeaders() {
    Map<String, String> files = Map.of("/", "text/html", "/console/console.js", "text/javascript",
        "/console/sse.js", "text/javascript", "/console/console.css", "text/css");
    files.forEach((path, type) -> {
      HttpResponse<String> response = service.send("GET", path, null, null, null);
      assertEquals(200, response.statusCode(), path);
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(type), path);
      String policy = response.headers().firstValue("Content-Security-Policy").orElse("");
      assertTrue(policy.contains("script-src 'self';") && policy.contains("default-src 'none'"), path + ": " + policy);
      assertFalse(policy.contains("unsafe-inline"), policy);
      assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), path);
      assertFalse(response.body().contains("http://") || response.body().contains("https://"),
          path + " refers to nothing outside this origin (the console works offline)");
    });
    String page = service.send("GET", "/", null, null, null).body();
    assertFalse(INLINE_SCRIPT.matcher(page).find(), "every script is a file (the policy forbids inline ones)");
    assertFalse(page.contains("style=") || INLINE_HANDLER.matcher(page).find(), "no inline styles or handlers either");
    assertTrue(page.contains("<script src=\"/console/console.js\""), page);
  }

  @Test
  void onlyTheConsolesOwnFilesAreServedAndTheApiStillAsksForCredentials() {
    for (String path : List.of("/console/", "/console/missing.js", "/console/..%2Fapplication.yml",
        "/console/%2E%2E/openapi.yml", "/application.yml", "/console/index.html")) {
      assertEquals(404, service.send("GET", path, null, null, null).statusCode(), path);
    }
    assertEquals(401, service.send("GET", "/v1/generations/anything", null, null, null).statusCode());
    assertEquals(401, service.send("GET", "/v1/quotas", null, null, null).statusCode());
  }

  @Test
  void theTokenize202SaysTheLatentsShapeFromTheBundleInService() throws Exception {
    BundleManifest bundle = BundleFiles.verify(ServiceTestDoubles.BUNDLE).manifest();
    HttpResponse<String> accepted = service.send("POST", "/v1/tokenize?id=console-img-1", ServiceUnderTest.API_KEY,
        "image/png", TestPngs.solid(5, 3, 10, 20, 30));
    assertEquals(202, accepted.statusCode(), accepted.body());
    JsonNode body = JSON.readTree(accepted.body());
    assertEquals("console-img-1", body.get("id").asText());
    JsonNode latent = body.get("latent");
    var shape = bundle.latent();
    assertEquals(List.of(shape.channels(), shape.height(), shape.width()),
        JSON.convertValue(latent.get("shape"), List.class), accepted.body());
    assertEquals("F32", latent.get("dtype").asText());
    assertEquals(bundle.id(), latent.get("bundleId").asText());
  }
}
