package dev.aligntok.export.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.TokenizerRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every native tensor and result is closed: after a warm-up, three windows of 1,000 encode + decode
 * batches each; the quietest must grow resident memory by under 2 MiB. Each batch moves about 25 KB
 * through native tensors, so a leak adds ~13 MiB to every window (measured with one result left
 * unclosed), while allocator noise lifts a single window at most (measured: up to +4.1 MiB once).
 */
class RuntimeMemoryTest {
  private static final int BATCH = 16;
  private static final long MAX_GROWTH_KIB = 2 * 1024;
  private static final int WINDOWS = 3;

  @TempDir Path tmp;

  @Test
  void thousandEncodeDecodeBatchesDoNotGrowNativeMemory() throws Exception {
    Path dir = tmp.resolve("bundle");
    TestBundles.writeTokenizerOnly(dir);
    RuntimeOptions cpu = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1);
    try (ModelBundle bundle = ModelBundle.load(dir, cpu, ImageLimits.DEFAULT)) {
      TokenizerRuntime tokenizer = bundle.tokenizer();
      float[] images = TinyModels.images(BATCH, 42);
      // Warm-up: JIT, ONNX Runtime's arena, and the heap pages touched again after the first full GC
      // (measured here: RSS re-grows once by ~25 MiB after the first System.gc, then stays flat).
      for (int round = 0; round < 2; round++) {
        roundTrips(tokenizer, images, 2000);
        settledRssKib();
      }
      // A leak raises the floor in every window; allocator noise moves one window now and then
      // (a CI run once saw +4.1 MiB in a single window). So: three windows, the quietest must be flat.
      long quietest = Long.MAX_VALUE;
      StringBuilder growths = new StringBuilder();
      for (int window = 0; window < WINDOWS; window++) {
        long before = settledRssKib();
        roundTrips(tokenizer, images, 1000);
        long growth = settledRssKib() - before;
        quietest = Math.min(quietest, growth);
        growths.append(growths.length() == 0 ? "" : ", ").append(growth > 0 ? "+" : "").append(growth).append(" KiB");
      }
      System.out.printf("RSS growth per 1000 batches of %d: %s%n", BATCH, growths);
      assertTrue(quietest < MAX_GROWTH_KIB, "resident memory grew in every window of 1000 encode+decode batches ("
          + growths + "; limit " + MAX_GROWTH_KIB + " KiB in the quietest): a native tensor or result leaks");
    }
  }

  private static void roundTrips(TokenizerRuntime tokenizer, float[] images, int count) {
    for (int i = 0; i < count; i++) {
      tokenizer.decode(tokenizer.encode(images, BATCH), BATCH);
    }
  }

  /**
   * The lowest VmRSS of three readings, each after a GC: single readings after warm-up spike by
   * ~12 MiB now and then and fall back (measured here), whereas a leak raises the floor.
   */
  private static long settledRssKib() throws IOException, InterruptedException {
    long lowest = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
      lowest = Math.min(lowest, rssKib());
    }
    return lowest;
  }

  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS line in /proc/self/status");
  }
}
