package dev.aligntok.inference.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * RGB images ↔ float tensors in CHW layout (channel planes R, G, B; rows top to bottom), the
 * layout of every model input and output here. Pure functions; the offset variants fill or read one
 * image inside a larger N×3×H×W batch array without copying.
 */
public final class ImageTensors {
  private ImageTensors() {}

  /** A new 3×H×W array. */
  public static float[] toChw(BufferedImage rgb, Normalization normalization) {
    float[] chw = new float[3 * rgb.getHeight() * rgb.getWidth()];
    toChw(rgb, normalization, chw, 0);
    return chw;
  }

  /** Writes 3×H×W floats into {@code target} starting at {@code offset}. */
  public static void toChw(BufferedImage rgb, Normalization normalization, float[] target, int offset) {
    int width = rgb.getWidth();
    int height = rgb.getHeight();
    int plane = width * height;
    if (offset < 0 || offset + 3 * plane > target.length) {
      throw new IllegalArgumentException("3x" + height + "x" + width + " image does not fit at offset "
          + offset + " of a float[" + target.length + "]");
    }
    int[] pixels = RgbPixels.readOnly(rgb);
    for (int i = 0; i < plane; i++) {
      int pixel = pixels[i];
      target[offset + i] = normalization.normalize((pixel >> 16) & 0xff);
      target[offset + plane + i] = normalization.normalize((pixel >> 8) & 0xff);
      target[offset + 2 * plane + i] = normalization.normalize(pixel & 0xff);
    }
  }

  /** Reads 3×H×W floats from {@code chw} at {@code offset} into an RGB image (clamped, rounded). */
  public static BufferedImage fromChw(float[] chw, int offset, int height, int width, Normalization normalization) {
    if (height <= 0 || width <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
    }
    int plane = width * height;
    if (offset < 0 || offset + 3 * plane > chw.length) {
      throw new IllegalArgumentException("3x" + height + "x" + width + " image at offset " + offset
          + " runs past the end of a float[" + chw.length + "]");
    }
    int[] pixels = new int[plane];
    for (int i = 0; i < plane; i++) {
      int r = normalization.denormalize(chw[offset + i]);
      int g = normalization.denormalize(chw[offset + plane + i]);
      int b = normalization.denormalize(chw[offset + 2 * plane + i]);
      pixels[i] = (r << 16) | (g << 8) | b;
    }
    return RgbPixels.image(pixels, width, height);
  }

  /** PNG bytes of an image (lossless, so a round trip through {@link ImageDecoder} is exact). */
  public static byte[] toPng(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no ImageIO PNG writer for image type " + image.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed in memory", e);
    }
    return out.toByteArray();
  }
}
