package dev.aligntok.inference.runtime;

/**
 * The result of one {@link SamplingJob}.
 *
 * @param classId the class the request resolved to; -1 for a free-text prompt on a text bundle
 * @param latent the raw tokenizer latent, C × h × w (the DiT's output denormalised)
 * @param images the decoded image (one of a batch); see {@link #pixels()} and {@link #png()}
 */
public record SampledImage(SamplingJob request, int classId, float[] latent, DecodedImages images, int index) {
  /** 3 × S × S floats in [0, 1]. */
  public float[] pixels() {
    return images.image(index);
  }

  public byte[] png() {
    return images.png(index);
  }
}
