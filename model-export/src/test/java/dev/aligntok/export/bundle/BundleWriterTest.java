package dev.aligntok.export.bundle;

import static dev.aligntok.export.bundle.BundleRuntimeTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.manifest.BundleException;
import dev.aligntok.inference.manifest.BundleManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleWriterTest {
  @TempDir Path tmp;

  @Test
  void theIdIsAFunctionOfTheContent() throws Exception {
    BundleManifest first = TestBundles.writeGenerator(tmp.resolve("a"));
    BundleManifest again = TestBundles.writeGenerator(tmp.resolve("b"));
    assertEquals(first.id(), again.id(), "same models and metadata, same id");

    BundleManifest otherDit = TestBundles.writeGenerator(tmp.resolve("c"), TinyModels.dit(TinyModels.LABELS.size() + 1, "latent"));
    assertNotEquals(first.id(), otherDit.id(), "a different dit.onnx must change the id");
  }

  @Test
  void writesExactlyTheBundleFilesAndNoStagingLeftovers() throws Exception {
    TestBundles.writeGenerator(tmp.resolve("bundle"));
    try (var files = Files.list(tmp.resolve("bundle"))) {
      assertEquals(List.of("decoder.onnx", "dit.onnx", "encoder.onnx", "manifest.json", "tensorrt.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    try (var siblings = Files.list(tmp)) {
      assertEquals(List.of("bundle"), siblings.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void refusesToOverwriteABundle() throws Exception {
    TestBundles.writeTokenizerOnly(tmp.resolve("bundle"));
    assertMessage(IOException.class, "already exists; bundles are immutable",
        () -> TestBundles.writeTokenizerOnly(tmp.resolve("bundle")));
  }

  @Test
  void refusesBytesThatAreNotOnnx() {
    BundleWriter writer = new BundleWriter("junk")
        .tokenizer(new byte[] {1, 2, 3}, TinyModels.decoder().toBytes(), TinyModels.SIZE, TinyModels.LATENT);
    assertMessage(IllegalArgumentException.class, "encoder is not an ONNX model", () -> writer.write(tmp.resolve("junk")));
    assertFalse(Files.exists(tmp.resolve("junk")));
  }

  @Test
  void refusesADitWithoutItsCheckpointSource() {
    BundleWriter writer = new BundleWriter("no-source")
        .tokenizer(TinyModels.encoder(), TinyModels.decoder(), TinyModels.SIZE, TinyModels.LATENT)
        .tokenizerSource(Path.of("tok"), "ab".repeat(32))
        .dit(TinyModels.dit(), LabelVocabulary.of(TinyModels.LABELS), TestBundles.SAMPLER);
    assertMessage(BundleException.class, "manifest.json field source.dit: missing",
        () -> writer.write(tmp.resolve("no-source")));
  }
}
