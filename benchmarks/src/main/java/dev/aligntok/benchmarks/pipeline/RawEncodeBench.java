package dev.aligntok.benchmarks.pipeline;

import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.LatentEncoderPort;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ceiling the pipeline is measured against: the encoder port the topology uses, called directly
 * in batches of the same size on images that are already decoded (no Kafka, no PNG decoding), by as
 * many threads at once as the topology has stream threads, each encoding its share.
 */
public final class RawEncodeBench {
  /** Batches run first and not timed (ONNX Runtime allocates and picks kernels on the first calls). */
  public static final int WARMUP_BATCHES = 3;

  /** Images encoded, seconds taken, and images per second. */
  public record Result(int images, int batchSize, int callers, double seconds, double imagesPerSecond) {}

  private RawEncodeBench() {}

  /**
   * Encodes {@code images} in batches of {@code batchSize} (the last of each share may be smaller),
   * split into {@code callers} contiguous shares encoded concurrently.
   *
   * @throws IllegalArgumentException when there are no images, or the batch size or callers are below 1
   */
  public static Result measure(LatentEncoderPort encoder, List<DecodedImage> images, int batchSize, int callers) {
    if (images.isEmpty() || batchSize < 1 || callers < 1) {
      throw new IllegalArgumentException("need images, a batch size >= 1 and callers >= 1, got " + images.size()
          + ", " + batchSize + " and " + callers);
    }
    for (int i = 0; i < WARMUP_BATCHES; i++) {
      encoder.encode(images.subList(0, Math.min(batchSize, images.size())));
    }
    int share = (images.size() + callers - 1) / callers;
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    try {
      long start = System.nanoTime();
      List<Future<?>> running = new ArrayList<>();
      for (int from = 0; from < images.size(); from += share) {
        List<DecodedImage> mine = images.subList(from, Math.min(images.size(), from + share));
        running.add(pool.submit(() -> encodeInBatches(encoder, mine, batchSize)));
      }
      for (Future<?> caller : running) {
        caller.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Result(images.size(), batchSize, callers, seconds, images.size() / seconds);
    } catch (ExecutionException e) {
      throw new IllegalStateException("raw encode failed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during the raw encode", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void encodeInBatches(LatentEncoderPort encoder, List<DecodedImage> images, int batchSize) {
    for (int from = 0; from < images.size(); from += batchSize) {
      encoder.encode(images.subList(from, Math.min(images.size(), from + batchSize)));
    }
  }
}
