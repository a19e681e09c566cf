package dev.aligntok.export.bundle;

import static dev.aligntok.export.bundle.BundleRuntimeTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.manifest.BundleException;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.ProviderSelection;
import dev.aligntok.inference.runtime.RuntimeOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On this CPU-only build of ONNX Runtime, TensorRT and CUDA really are unavailable (adding them
 * throws), so asking for the default order must end on CPU, say why, and still compute correctly.
 */
class ProviderFallbackTest {
  @TempDir Path tmp;

  @Test
  void tensorRtThenCudaThenCpuEndsOnCpuAndLogsWhyInOneLine() throws Exception {
    Path dir = tmp.resolve("bundle");
    TestBundles.writeGenerator(dir);
    String log;
    ProviderSelection selection;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8)); // slf4j-simple writes to System.err
    try (ModelBundle bundle = ModelBundle.load(dir, RuntimeOptions.defaults(), ImageLimits.DEFAULT)) {
      selection = bundle.providerSelection();
      float[] images = TinyModels.images(2, 1);
      assertArrayEquals(TinyModels.encode(images, 2), bundle.tokenizer().encode(images, 2), 1e-5f);
    } finally {
      System.setErr(originalErr);
      log = captured.toString(StandardCharsets.UTF_8);
    }

    assertEquals(ExecutionProvider.CPU, selection.provider());
    assertEquals(List.of(ExecutionProvider.TENSORRT, ExecutionProvider.CUDA), List.copyOf(selection.skipped().keySet()));
    assertTrue(selection.skipped().get(ExecutionProvider.TENSORRT).contains("TensorRT"), selection.summary());
    assertTrue(selection.skipped().get(ExecutionProvider.CUDA).contains("CUDA"), selection.summary());

    List<String> lines = log.lines().filter(line -> line.contains("execution provider")).toList();
    assertEquals(1, lines.size(), "one provider line per bundle load, got: " + log);
    assertTrue(lines.get(0).contains("execution provider CPU; skipped TENSORRT ("), lines.get(0));
    assertTrue(lines.get(0).contains(selection.summary()), lines.get(0));
  }

  @Test
  void noUsableProviderIsABundleErrorThatListsEveryReason() throws Exception {
    Path dir = tmp.resolve("bundle");
    TestBundles.writeTokenizerOnly(dir);
    RuntimeOptions gpuOnly = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.TENSORRT, ExecutionProvider.CUDA));
    BundleException e = assertMessage(BundleException.class, "no execution provider could open the models: TENSORRT (",
        () -> ModelBundle.load(dir, gpuOnly, ImageLimits.DEFAULT));
    assertTrue(e.getMessage().contains("), CUDA ("), e.getMessage());
  }
}
