package dev.aligntok.stream.bench;

import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.LatentEncoderPort;
import java.util.List;

/**
 * The ceiling the pipeline is measured against: the encoder port the topology uses, called directly
 * in batches of the same size on images that are already decoded (no Kafka, no PNG decoding).
 */
public final class RawEncodeBench {
  /** Batches run first and not timed (ONNX Runtime allocates and picks kernels on the first calls). */
  public static final int WARMUP_BATCHES = 3;

  /** Images encoded, seconds taken, and images per second. */
  public record Result(int images, int batchSize, double seconds, double imagesPerSecond) {}

  private RawEncodeBench() {}

  /**
   * Encodes {@code images} in order, {@code batchSize} at a time (the last batch may be smaller).
   *
   * @throws IllegalArgumentException when there are no images or the batch size is below 1
   */
  public static Result measure(LatentEncoderPort encoder, List<DecodedImage> images, int batchSize) {
    if (images.isEmpty() || batchSize < 1) {
      throw new IllegalArgumentException("need images and a batch size >= 1, got " + images.size() + " and " + batchSize);
    }
    for (int i = 0; i < WARMUP_BATCHES; i++) {
      encoder.encode(images.subList(0, Math.min(batchSize, images.size())));
    }
    long start = System.nanoTime();
    for (int from = 0; from < images.size(); from += batchSize) {
      encoder.encode(images.subList(from, Math.min(images.size(), from + batchSize)));
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(images.size(), batchSize, seconds, images.size() / seconds);
  }
}
