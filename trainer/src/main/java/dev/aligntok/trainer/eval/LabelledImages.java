package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.trainer.data.Batch;
import dev.aligntok.trainer.data.BatchIterator;
import dev.aligntok.trainer.data.BatchSpec;
import dev.aligntok.trainer.data.Sample;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A named split of labelled images that the evaluation reads batch by batch, in a fixed order, as
 * [0, 1] {@link ImageBatch}es — either held in memory or decoded from dataset samples on the fly
 * (a training split of a few thousand 64 px images need not sit in memory as floats).
 */
public final class LabelledImages {
  /** One batch of images and their labels. */
  public record LabelledBatch(ImageBatch images, int[] labels) {
    public LabelledBatch {
      if (labels.length != images.count()) {
        throw new IllegalArgumentException(images.count() + " images but " + labels.length + " labels");
      }
    }
  }

  @FunctionalInterface
  private interface Source {
    void forEach(int batchSize, Consumer<LabelledBatch> consumer);
  }

  private final String name;
  private final int size;
  private final Source source;

  private LabelledImages(String name, int size, Source source) {
    if (size <= 0) {
      throw new IllegalArgumentException("split " + name + " is empty");
    }
    this.name = name;
    this.size = size;
    this.source = source;
  }

  /** Images already in memory, with one label per image. */
  public static LabelledImages of(String name, ImageBatch images, int[] labels) {
    new LabelledBatch(images, labels); // validates the counts
    int[] copy = labels.clone();
    return new LabelledImages(name, images.count(), (batchSize, consumer) -> {
      for (int from = 0; from < images.count(); from += batchSize) {
        int to = Math.min(images.count(), from + batchSize);
        float[] pixels = Arrays.copyOfRange(images.pixels(), from * images.imageFloats(), to * images.imageFloats());
        consumer.accept(new LabelledBatch(new ImageBatch(pixels, to - from, images.height(), images.width()),
            Arrays.copyOfRange(copy, from, to)));
      }
    });
  }

  /**
   * Dataset samples through the evaluation path of {@link BatchIterator} (centre crop, resize to
   * {@code resolution}, no augmentation), in list order.
   */
  public static LabelledImages fromSamples(String name, List<Sample> samples, int resolution) {
    List<Sample> fixed = List.copyOf(samples);
    return new LabelledImages(name, fixed.size(), (batchSize, consumer) -> {
      BatchIterator batches = BatchIterator.evaluation(fixed, new BatchSpec(batchSize, resolution, Normalization.ZERO_ONE, false));
      while (batches.hasNext()) {
        Batch batch = batches.next();
        consumer.accept(new LabelledBatch(new ImageBatch(batch.images(), batch.size(), batch.resolution(), batch.resolution()),
            batch.labels()));
      }
    });
  }

  public String name() {
    return name;
  }

  public int size() {
    return size;
  }

  /** Calls {@code consumer} with consecutive batches of at most {@code batchSize} images. */
  public void forEachBatch(int batchSize, Consumer<LabelledBatch> consumer) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
    }
    source.forEach(batchSize, consumer);
  }

  @Override
  public String toString() {
    return "LabelledImages(" + name + ", " + size + " images)";
  }
}
