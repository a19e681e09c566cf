package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.service.http.GenerationController;
import dev.aligntok.stream.testing.TinyBundles;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The service with a blob threshold of 0: every generated PNG is written under the output root,
 * the event carries its file:// URI, and GET .../images/{n} still answers with the PNG itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceBlobImagesTest {
  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;
  private Path outputRoot;

  @BeforeAll
  void start() throws Exception {
    outputRoot = work.resolve("generated");
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "blob-test", work.resolve("state"), Map.of(
        "aligntok.blob.output-root", outputRoot.toString(),
        "aligntok.generate.blob-threshold-bytes", 0,
        "aligntok.generate.batch-size", 2,
        "aligntok.generate.max-wait", "50ms")).awaitReady();
  }

  @AfterAll
  void stop() {
    // Resources close in reverse order (the service, then the broker); null ones are skipped.
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  @Test
  void anImageStoredAsAFileUriIsServedAsThePngAndAVanishedOneIs404() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    Logger controllerLog = (Logger) LoggerFactory.getLogger(GenerationController.class);
    controllerLog.setLevel(Level.INFO);
    logged.start();
    controllerLog.addAppender(logged);
    HttpResponse<String> accepted;
    try {
      accepted = service.postJson("/v1/generations",
          "{\"id\":\"blob-1\",\"classId\":1,\"count\":2,\"seed\":21,\"steps\":6}");
    } finally {
      controllerLog.detachAppender(logged);
      controllerLog.setLevel(null);
    }
    assertEquals(202, accepted.statusCode(), accepted.body());
    assertEquals(List.of("blob-1"), logged.list.stream()
        .map(line -> line.getMDCPropertyMap().get(LogContext.REQUEST_ID)).toList(), "the HTTP handler's log line names the id");
    service.awaitGet("/v1/generations/blob-1", r -> r.body().contains("\"SUCCEEDED\""));
    byte[] expected;
    try (ModelBundle reference = ModelBundle.load(ServiceTestDoubles.BUNDLE, TinyBundles.CPU, ImageLimits.DEFAULT)) {
      expected = reference.generation().generate(List.of(SamplingJob.ofClass(1, 21 + 1, 0)
          .withSettings(reference.generation().defaults().withSteps(6)))).get(0).png();
    }

    service.awaitGet("/v1/generations/blob-1/images/1", r -> r.statusCode() == 200);
    HttpResponse<byte[]> image = service.getBytes("/v1/generations/blob-1/images/1");
    assertEquals(200, image.statusCode(), "served, not redirected to a file:// URI");
    assertEquals("image/png", image.headers().firstValue("Content-Type").orElseThrow());
    assertArrayEquals(expected, image.body());

    List<Path> stored;
    try (Stream<Path> files = Files.walk(outputRoot)) {
      stored = files.filter(Files::isRegularFile).sorted().toList();
    }
    assertEquals(2, stored.size(), stored.toString());
    assertArrayEquals(expected, Files.readAllBytes(stored.get(1)), "the bytes came from the stored file");

    Files.delete(stored.get(1));
    HttpResponse<String> gone = service.get("/v1/generations/blob-1/images/1");
    assertEquals(404, gone.statusCode(), gone.body());
    assertTrue(gone.body().contains("NOT_FOUND") && gone.body().contains("file:"), gone.body());
  }
}
