package dev.aligntok.inference.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/**
 * Grey (and grey + alpha) images read straight from the raster. Java's {@code getRGB} treats its
 * grey colour space as linear and gamma-converts it (stored 128 comes back as 188), which would make
 * every grey PNG brighter than the file says; datasets and users mean the stored values.
 */
final class GreyPixels {
  private GreyPixels() {}

  static boolean isLinearGrey(BufferedImage image) {
    return image.getColorModel() instanceof ComponentColorModel
        && image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
  }

  /** Copies grey (8- or 16-bit, optional alpha) into an RGB image, alpha composited onto white. */
  static void copyOnWhite(BufferedImage grey, BufferedImage rgb) {
    Raster raster = grey.getRaster();
    boolean hasAlpha = grey.getColorModel().hasAlpha();
    int greyMax = (1 << grey.getColorModel().getComponentSize(0)) - 1;
    int alphaMax = hasAlpha ? (1 << grey.getColorModel().getComponentSize(1)) - 1 : 1;
    for (int y = 0; y < grey.getHeight(); y++) {
      for (int x = 0; x < grey.getWidth(); x++) {
        int value = to8Bit(raster.getSample(x, y, 0), greyMax);
        if (hasAlpha) {
          value = ImageDecoder.blend(value, to8Bit(raster.getSample(x, y, 1), alphaMax));
        }
        rgb.setRGB(x, y, (value << 16) | (value << 8) | value);
      }
    }
  }

  private static int to8Bit(int sample, int max) {
    return max == 255 ? sample : (int) ((sample * 255L + max / 2) / max);
  }
}
