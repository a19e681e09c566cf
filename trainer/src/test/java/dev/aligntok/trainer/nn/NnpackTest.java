package dev.aligntok.trainer.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NnpackTest {

  @Test
  void libtorchSeesNnpackTurnedOff() {
    assertTrue(Nnpack.disable(), "libtorch's NNPACK setting was not found in the loaded libtorch_cpu.so");
    assertEquals(Optional.of(false), Nnpack.enabled());
  }

  /**
   * A one-image 3×3 convolution is too small for oneDNN, so libtorch asks for NNPACK: on a CPU
   * NNPACK does not support (this machine) that logged a warning per call. Native logging goes to
   * the process's stderr, so the convolution runs in a child JVM.
   */
  @Test
  void aSmallConvolutionLogsNothingOnceNnpackIsOff() throws Exception {
    Process child = new ProcessBuilder(List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", SmallConvolution.class.getName()))
        .redirectErrorStream(true)
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(2, TimeUnit.MINUTES), "the child JVM did not finish");
    assertEquals(0, child.exitValue(), output);
    assertTrue(output.contains("convolutions done"), output);
    assertFalse(output.contains("NNPACK"), output);
  }

  /** The child: NNPACK off, then three one-image convolutions. */
  public static final class SmallConvolution {
    public static void main(String[] args) {
      if (!Nnpack.disable()) {
        throw new IllegalStateException("NNPACK could not be turned off");
      }
      try (NDManager manager = NDManager.newBaseManager()) {
        NDArray image = manager.randomNormal(new Shape(1, 8, 16, 16));
        NDArray filters = manager.randomNormal(new Shape(4, 8, 3, 3));
        for (int i = 0; i < 3; i++) {
          PaddedConvolution.paddedConv2d(image, filters, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1);
        }
      }
      System.out.println("convolutions done");
    }
  }
}
