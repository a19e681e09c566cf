package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Resize;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Yields float batches at a requested resolution from a list of samples.
 *
 * <p>Every image goes through the serving path — centre-crop to a square, {@link Resize} (area
 * average down, bilinear up), {@link ImageTensors} — unless training augmentation replaces the
 * centre crop. A training epoch's order and each sample's augmentation are drawn from hashes of
 * (seed, epoch, sample id), so they do not depend on input order or on which batch a sample lands
 * in: the same seed and epoch give the same floats.
 */
public final class BatchIterator implements Iterator<Batch> {
  private final List<Sample> order;
  private final BatchSpec spec;
  private final Augmentation augmentation;
  private final long seed;
  private final int epoch;
  private int next;

  private BatchIterator(List<Sample> order, BatchSpec spec, Augmentation augmentation, long seed, int epoch) {
    this.order = order;
    this.spec = spec;
    this.augmentation = augmentation;
    this.seed = seed;
    this.epoch = epoch;
  }

  /** One training epoch: shuffled by (seed, epoch), augmented. */
  public static BatchIterator training(List<Sample> samples, BatchSpec spec, Augmentation augmentation, long seed,
      int epoch) {
    return new BatchIterator(Splits.shuffled(samples, seed, epoch), spec, augmentation, seed, epoch);
  }

  /** Evaluation: input order, no augmentation. */
  public static BatchIterator evaluation(List<Sample> samples, BatchSpec spec) {
    return new BatchIterator(List.copyOf(samples), spec, Augmentation.NONE, 0, 0);
  }

  /** How many batches this iterator yields in total. */
  public int batchCount() {
    int full = order.size() / spec.batchSize();
    return spec.dropLast() || order.size() % spec.batchSize() == 0 ? full : full + 1;
  }

  @Override
  public boolean hasNext() {
    int remaining = order.size() - next;
    return spec.dropLast() ? remaining >= spec.batchSize() : remaining > 0;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more batches (" + batchCount() + " in this pass)");
    }
    int count = Math.min(spec.batchSize(), order.size() - next);
    float[] images = new float[count * spec.imageFloats()];
    int[] labels = new int[count];
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Sample sample = order.get(next + i);
      ImageTensors.toChw(preprocess(sample), spec.normalization(), images, i * spec.imageFloats());
      labels[i] = sample.label();
      ids.add(sample.id());
    }
    next += count;
    return new Batch(images, labels, List.copyOf(ids), spec.resolution());
  }

  /** The RGB image a sample contributes to a batch, at the batch resolution. */
  public BufferedImage preprocess(Sample sample) {
    BufferedImage rgb = sample.image().loadRgb();
    if (augmentation.isNone()) {
      return Resize.toSquare(rgb, spec.resolution());
    }
    SplittableRandom random = new SplittableRandom(StableHash.of(seed, 31L * epoch + 17, sample.id()));
    return Resize.resize(augmentation.apply(rgb, random), spec.resolution(), spec.resolution());
  }
}
