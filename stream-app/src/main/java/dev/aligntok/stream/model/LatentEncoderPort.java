package dev.aligntok.stream.model;

import java.util.List;

/**
 * The tokenizer's encoder as the tokenize topology sees it: one batched call per micro-batch.
 * {@code runtime.BundleModels#encoder()} implements it over the ONNX runtime.
 * Implementations may throw any runtime exception: the batch is then split until the images that
 * fail alone are found, those are dead-lettered at stage MODEL, and the stream goes on. Stream threads (one per task) may call it concurrently, so
 * implementations must be thread-safe, as an ONNX Runtime session is.
 */
public interface LatentEncoderPort {
  /**
   * Content hash of the bundle loaded now (for logs and health). LatentEvents carry
   * {@link BatchEncodeResult#bundleId()} instead: a hot reload may swap the bundle between the two calls.
   */
  String bundleId();

  /**
   * Side S of the square images the loaded bundle's encoder takes. Callers reduce each image to
   * S × S as they decode it, so a batch holds small images; {@link #encode} still resizes any other
   * size (a hot reload may change S in between), by the same policy.
   */
  int imageSize();

  /**
   * Latents of {@code images}, one per image, in order, all computed by one bundle. {@code images}
   * is never empty. Resizing (to {@link #imageSize()}; a no-op for images already that size) and
   * normalisation are the bundle's preprocessing, applied here.
   */
  BatchEncodeResult encode(List<DecodedImage> images);
}
