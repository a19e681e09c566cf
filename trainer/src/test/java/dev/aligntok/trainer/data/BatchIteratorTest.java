package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.image.Resize;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class BatchIteratorTest {
  private static List<Sample> noisySamples(int count, int size) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BufferedImage image = TestFiles.noise(size + i % 3, size, i); // some non-square
      samples.add(new Sample("n" + i, null, i % 4, "c" + (i % 4), List.of(), InMemoryImage.of(image)));
    }
    return samples;
  }

  @Test
  void evaluationBatchesAreTheServingPreprocessingInInputOrder() {
    List<Sample> samples = noisySamples(5, 12);
    BatchIterator batches = BatchIterator.evaluation(samples, new BatchSpec(2, 8, Normalization.MINUS_ONE_ONE, false));
    assertEquals(3, batches.batchCount());

    Batch first = batches.next();
    assertArrayEquals(new long[] {2, 3, 8, 8}, first.shape());
    assertEquals(List.of("n0", "n1"), first.ids());
    assertArrayEquals(new int[] {0, 1}, first.labels());
    float[] expected = ImageTensors.toChw(Resize.toSquare(samples.get(1).image().loadRgb(), 8), Normalization.MINUS_ONE_ONE);
    assertArrayEquals(expected, Arrays.copyOfRange(first.images(), 3 * 64, 6 * 64));

    batches.next();
    Batch last = batches.next();
    assertEquals(1, last.size());
    assertEquals(3 * 64, last.images().length);
    assertFalse(batches.hasNext());
    assertThrows(NoSuchElementException.class, batches::next);
  }

  @Test
  void exactValuesForATinyImage() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 2, 2, new int[] {0x000000, 0x0000ff, 0x00ff00, 0xff0000}, 0, 2);
    Sample sample = new Sample("t", null, 0, "c", List.of(), InMemoryImage.of(image));
    Batch batch = BatchIterator.evaluation(List.of(sample), new BatchSpec(1, 1, Normalization.ZERO_ONE, false)).next();
    // Each channel has one 255 among four pixels: mean 63.75 → 64.
    assertArrayEquals(new float[] {64 / 255f, 64 / 255f, 64 / 255f}, batch.images());
  }

  @Test
  void trainingDropsTheRemainderAndIsReproducible() {
    List<Sample> samples = noisySamples(7, 10);
    BatchSpec spec = new BatchSpec(3, 8, Normalization.ZERO_ONE, true);
    Augmentation augmentation = new Augmentation(true, 0.6);

    BatchIterator epoch0 = BatchIterator.training(samples, spec, augmentation, 11, 0);
    assertEquals(2, epoch0.batchCount());
    List<Batch> run1 = drain(epoch0);
    assertEquals(2, run1.size());

    List<Sample> reordered = new ArrayList<>(samples);
    Collections.reverse(reordered);
    List<Batch> run2 = drain(BatchIterator.training(reordered, spec, augmentation, 11, 0));
    for (int i = 0; i < run1.size(); i++) {
      assertEquals(run1.get(i).ids(), run2.get(i).ids());
      assertArrayEquals(run1.get(i).images(), run2.get(i).images());
    }
    List<Batch> nextEpoch = drain(BatchIterator.training(samples, spec, augmentation, 11, 1));
    assertNotEquals(run1.get(0).ids(), nextEpoch.get(0).ids());
  }

  @Test
  void specValidatesItsArguments() {
    assertThrows(IllegalArgumentException.class, () -> new BatchSpec(0, 8, Normalization.ZERO_ONE, true));
    assertThrows(IllegalArgumentException.class, () -> new BatchSpec(1, 0, Normalization.ZERO_ONE, true));
    assertThrows(IllegalArgumentException.class, () -> new BatchSpec(1, 8, null, true));
  }

  private static List<Batch> drain(BatchIterator batches) {
    List<Batch> all = new ArrayList<>();
    batches.forEachRemaining(all::add);
    return all;
  }
}
