package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.Resize;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Training-only augmentation, applied before the image is resized to the model's resolution.
 * Serving never augments, so this lives in the trainer, not in {@code inference}.
 *
 * @param horizontalFlip mirror left-right with probability ½
 * @param minCropFraction random square crop whose side is a uniform fraction in
 *     [minCropFraction, 1] of the shorter side, at a uniform position; 1 disables cropping (the
 *     image is then centre-cropped like at serving time)
 */
public record Augmentation(boolean horizontalFlip, double minCropFraction) {
  /** No augmentation: exactly the serving-time preprocessing. */
  public static final Augmentation NONE = new Augmentation(false, 1.0);

  public Augmentation {
    if (!(minCropFraction > 0 && minCropFraction <= 1)) {
      throw new IllegalArgumentException("minCropFraction must be in (0, 1], got " + minCropFraction);
    }
  }

  public boolean isNone() {
    return !horizontalFlip && minCropFraction == 1.0;
  }

  /** A square, possibly cropped and flipped image; draws from {@code random} in a fixed order. */
  public BufferedImage apply(BufferedImage rgb, SplittableRandom random) {
    int shorter = Math.min(rgb.getWidth(), rgb.getHeight());
    double fraction = minCropFraction + (1 - minCropFraction) * random.nextDouble();
    int side = Math.max(1, (int) Math.round(shorter * fraction));
    int x = random.nextInt(rgb.getWidth() - side + 1);
    int y = random.nextInt(rgb.getHeight() - side + 1);
    boolean flip = random.nextBoolean();
    BufferedImage square = minCropFraction == 1.0 ? Resize.centerCropSquare(rgb) : Resize.crop(rgb, x, y, side, side);
    return horizontalFlip && flip ? flipped(square) : square;
  }

  static BufferedImage flipped(BufferedImage rgb) {
    int width = rgb.getWidth();
    int height = rgb.getHeight();
    int[] pixels = rgb.getRGB(0, 0, width, height, null, 0, width);
    int[] mirrored = new int[pixels.length];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        mirrored[y * width + x] = pixels[y * width + (width - 1 - x)];
      }
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    out.setRGB(0, 0, width, height, mirrored, 0, width);
    return out;
  }
}
