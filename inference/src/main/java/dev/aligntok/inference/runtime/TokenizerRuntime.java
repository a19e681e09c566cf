package dev.aligntok.inference.runtime;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.image.Resize;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.ModelContract;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Batched encode and decode with a bundle's encoder and decoder sessions. Thread-safe: it holds
 * only immutable state and shared sessions.
 */
public final class TokenizerRuntime {
  /** Larger batches are a caller mistake (memory), not a throughput setting. */
  public static final int MAX_BATCH = 4096;

  private final OnnxModel encoder;
  private final OnnxModel decoder;
  private final int imageSize;
  private final Latent latent;
  private final ImageDecoder imageDecoder;

  public TokenizerRuntime(OnnxModel encoder, OnnxModel decoder, int imageSize, Latent latent, ImageDecoder imageDecoder) {
    this.encoder = encoder;
    this.decoder = decoder;
    this.imageSize = imageSize;
    this.latent = latent;
    this.imageDecoder = imageDecoder;
  }

  /** Side S of the square images the encoder takes and the decoder returns. */
  public int imageSize() {
    return imageSize;
  }

  /** Floats per image: 3 × S × S. */
  public int imageFloats() {
    return 3 * imageSize * imageSize;
  }

  /** Floats per latent: C × h × w. */
  public int latentFloats() {
    return latent.size();
  }

  public Latent latent() {
    return latent;
  }

  /**
   * Encodes n RGB images, n × 3 × S × S floats in [0, 1], to n raw latents (n × C × h × w).
   *
   * @throws IllegalArgumentException for a bad n, a wrong length, or values outside [0, 1]
   */
  public float[] encode(float[] imagesNchwUnit, int n) {
    checkBatch(n, imagesNchwUnit, imageFloats(), "images");
    for (int i = 0; i < imagesNchwUnit.length; i++) {
      float v = imagesNchwUnit[i];
      if (!(v >= 0f && v <= 1f)) {
        throw new IllegalArgumentException("image pixels must be in [0, 1], got " + v + " in image " + i / imageFloats());
      }
    }
    return encoder.run(ModelContract.LATENT,
        Feed.floats(ModelContract.IMAGE, imagesNchwUnit, n, 3, imageSize, imageSize));
  }

  /**
   * Decodes PNG, JPEG, WebP, GIF or BMP bytes (limits checked before any pixel is decoded; alpha onto white), reduces
   * each to S × S by the bundle's policy ({@link ImageDecoder#decodeSquare}) one image at a time, so
   * at most one image's decoded square is held besides the batch tensor, and encodes them in one batch.
   *
   * @throws dev.aligntok.inference.image.ImageDecodeException naming "image i" and the reason
   */
  public float[] encodeImages(List<byte[]> encodedImages) {
    checkImageCount(encodedImages);
    int n = encodedImages.size();
    float[] batch = new float[n * imageFloats()];
    for (int i = 0; i < n; i++) {
      BufferedImage square = imageDecoder.decodeSquare(encodedImages.get(i), "image " + i, imageSize);
      ImageTensors.toChw(square, Normalization.ZERO_ONE, batch, i * imageFloats());
    }
    return encode(batch, n);
  }

  /**
   * Encodes images already decoded to RGB on white (as {@link ImageDecoder} yields them): each is
   * resized to S × S by the bundle's policy ({@link Resize#toSquare}), scaled to [0, 1], and the
   * whole list runs as one batch. For callers that decode (and dead-letter) images one by one first.
   */
  public float[] encodeRgb(List<BufferedImage> images) {
    checkImageCount(images);
    int n = images.size();
    float[] batch = new float[n * imageFloats()];
    for (int i = 0; i < n; i++) {
      ImageTensors.toChw(Resize.toSquare(images.get(i), imageSize), Normalization.ZERO_ONE, batch, i * imageFloats());
    }
    return encode(batch, n);
  }

  /** Decodes n raw latents to images in [0, 1] (and PNG on request). */
  public DecodedImages decode(float[] latents, int n) {
    checkBatch(n, latents, latentFloats(), "latents");
    for (int i = 0; i < latents.length; i++) {
      if (!Float.isFinite(latents[i])) {
        throw new IllegalArgumentException("latents must be finite, got " + latents[i] + " in latent " + i / latentFloats());
      }
    }
    float[] output = decoder.run(ModelContract.IMAGE,
        Feed.floats(ModelContract.LATENT, latents, n, latent.channels(), latent.height(), latent.width()));
    return DecodedImages.fromDecoderOutput(output, n, imageSize);
  }

  private static void checkImageCount(List<?> images) {
    if (images == null || images.isEmpty() || images.size() > MAX_BATCH) {
      throw new IllegalArgumentException("need 1.." + MAX_BATCH + " images, got " + (images == null ? "null" : images.size()));
    }
  }

  private static void checkBatch(int n, float[] data, int perItem, String what) {
    if (n < 1 || n > MAX_BATCH) {
      throw new IllegalArgumentException("batch size must be in [1, " + MAX_BATCH + "], got " + n);
    }
    if (data == null || data.length != (long) n * perItem) {
      throw new IllegalArgumentException(what + " must hold n × " + perItem + " = " + (long) n * perItem
          + " floats for n = " + n + ", got " + (data == null ? "null" : data.length));
    }
  }
}
