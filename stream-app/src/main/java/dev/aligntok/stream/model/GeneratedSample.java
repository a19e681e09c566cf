package dev.aligntok.stream.model;

/**
 * One generated image.
 *
 * @param seed   seed of its initial noise
 * @param png    the encoded PNG
 * @param width  pixels
 * @param height pixels
 * @param latent the latent it was decoded from; may be null when the request did not ask for it
 */
public record GeneratedSample(long seed, byte[] png, int width, int height, LatentTensor latent) {
  public GeneratedSample {
    if (png == null || png.length == 0) {
      throw new IllegalArgumentException("a generated sample needs PNG bytes");
    }
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("a generated sample needs a size >= 1x1, got " + width + "x" + height);
    }
  }
}
