package dev.aligntok.trainer.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.aligntok.inference.image.ImageBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

  /** Pixel features that count how often they are computed. */
  private static final class Counting implements FeatureExtractor {
    private final PixelGridFeatures inner = new PixelGridFeatures();
    int calls;

    @Override
    public String name() {
      return inner.name();
    }

    @Override
    public int dimensions() {
      return inner.dimensions();
    }

    @Override
    public double[][] extract(ImageBatch images) {
      calls++;
      return inner.extract(images);
    }

    @Override
    public void close() {}
  }

  @Test
  void theSameBatchIsComputedOnceAndAnyOtherPixelIsAnotherEntry(@TempDir Path dir) throws Exception {
    Counting counting = new Counting();
    FeatureExtractor cached = FeatureCache.at(dir).of(counting);
    ImageBatch images = images(3, 0.25f);
    double[][] first = cached.extract(images);
    double[][] again = FeatureCache.at(dir).of(counting).extract(images(3, 0.25f));
    assertEquals(1, counting.calls, "a second extractor over the same directory reads the entry");
    assertArrayEquals(first, again);
    assertArrayEquals(new PixelGridFeatures().extract(images), again);

    ImageBatch changed = images(3, 0.25f);
    changed.pixels()[7] += 1e-6f;
    cached.extract(changed);
    assertEquals(2, counting.calls, "one pixel differs: another entry");
    cached.extract(images(2, 0.25f));
    assertEquals(3, counting.calls, "another batch boundary: another entry");
  }

  @Test
  void aDamagedEntryIsRecomputedAndRewritten(@TempDir Path dir) throws Exception {
    Counting counting = new Counting();
    FeatureExtractor cached = FeatureCache.at(dir).of(counting);
    ImageBatch images = images(2, 0.5f);
    double[][] expected = cached.extract(images);
    List<Path> entries;
    try (var files = Files.list(dir)) {
      entries = files.toList();
    }
    assertEquals(1, entries.size(), "one entry, no leftover temporary file");
    Files.write(entries.get(0), new byte[] {0, 0, 0, 2, 0, 0});
    assertArrayEquals(expected, cached.extract(images));
    assertEquals(2, counting.calls);
    assertArrayEquals(expected, cached.extract(images));
    assertEquals(2, counting.calls, "the rewritten entry serves again");
  }

  @Test
  void noCacheIsTheExtractorItself() {
    Counting counting = new Counting();
    assertSame(counting, FeatureCache.none().of(counting));
  }

  private static ImageBatch images(int count, float base) {
    float[] pixels = new float[count * 3 * 8 * 8];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (base + i * 0.001f) % 1f;
    }
    return new ImageBatch(pixels, count, 8, 8);
  }
}
