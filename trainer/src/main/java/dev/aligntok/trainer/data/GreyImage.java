package dev.aligntok.trainer.data;

import java.awt.image.BufferedImage;

/**
 * One grey image inside a shared byte array (an idx file's pixel block), turned into R=G=B only
 * when loaded: 70,000 MNIST digits stay one 55 MB array instead of 70,000 images.
 */
public final class GreyImage implements ImageSource {
  private final byte[] pixels;
  private final int offset;
  private final int width;
  private final int height;

  public GreyImage(byte[] pixels, int offset, int width, int height) {
    if (offset < 0 || width <= 0 || height <= 0 || offset + (long) width * height > pixels.length) {
      throw new IllegalArgumentException(width + "x" + height + " grey image at offset " + offset
          + " does not fit in " + pixels.length + " bytes");
    }
    this.pixels = pixels;
    this.offset = offset;
    this.width = width;
    this.height = height;
  }

  @Override
  public BufferedImage loadRgb() {
    int[] rgb = new int[width * height];
    for (int i = 0; i < rgb.length; i++) {
      int value = pixels[offset + i] & 0xff;
      rgb[i] = (value << 16) | (value << 8) | value;
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, width, height, rgb, 0, width);
    return image;
  }
}
