package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageBatch;
/**
 * A tokenizer made of two plain functions, for testing the evaluation: encode = f×f average pooling
 * (latent = the RGB block means, 3 channels), decode = nearest-neighbour upsampling. Averages are
 * taken in double, so block-constant images come back bit for bit.
 */
final class AveragePoolTokenizer implements TokenizerUnderTest {
  private final int factor;

  AveragePoolTokenizer(int factor) {
    this.factor = factor;
  }

  @Override
  public String name() {
    return "avgpool" + factor;
  }

  @Override
  public LatentBatch encode(ImageBatch images) {
    int h = images.height() / factor;
    int w = images.width() / factor;
    float[] latents = new float[images.count() * 3 * h * w];
    float[] px = images.pixels();
    for (int n = 0; n < images.count(); n++) {
      for (int c = 0; c < 3; c++) {
        int plane = images.offset(n) + c * images.height() * images.width();
        for (int by = 0; by < h; by++) {
          for (int bx = 0; bx < w; bx++) {
            double sum = 0;
            for (int y = by * factor; y < (by + 1) * factor; y++) {
              for (int x = bx * factor; x < (bx + 1) * factor; x++) {
                sum += px[plane + y * images.width() + x];
              }
            }
            latents[((n * 3 + c) * h + by) * w + bx] = (float) (sum / (factor * factor));
          }
        }
      }
    }
    return new LatentBatch(latents, images.count(), 3, h, w);
  }

  @Override
  public ImageBatch decode(LatentBatch latents) {
    int h = latents.height() * factor;
    int w = latents.width() * factor;
    float[] pixels = new float[latents.count() * 3 * h * w];
    for (int n = 0; n < latents.count(); n++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            pixels[((n * 3 + c) * h + y) * w + x] =
                latents.values()[((n * 3 + c) * latents.height() + y / factor) * latents.width() + x / factor];
          }
        }
      }
    }
    return new ImageBatch(pixels, latents.count(), h, w);
  }
}
