package dev.aligntok.trainer.data;

import java.awt.image.BufferedImage;

/** Decoded RGB pixels kept as 3 bytes a pixel (a 64×64 emoji costs 12 KB). */
public final class InMemoryImage implements ImageSource {
  private final int width;
  private final int height;
  private final byte[] rgb;

  private InMemoryImage(int width, int height, byte[] rgb) {
    this.width = width;
    this.height = height;
    this.rgb = rgb;
  }

  /** Copies the pixels of an RGB image (any alpha is ignored: composite first). */
  public static InMemoryImage of(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
    byte[] rgb = new byte[pixels.length * 3];
    for (int i = 0; i < pixels.length; i++) {
      rgb[3 * i] = (byte) (pixels[i] >> 16);
      rgb[3 * i + 1] = (byte) (pixels[i] >> 8);
      rgb[3 * i + 2] = (byte) pixels[i];
    }
    return new InMemoryImage(width, height, rgb);
  }

  @Override
  public BufferedImage loadRgb() {
    int[] pixels = new int[width * height];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = ((rgb[3 * i] & 0xff) << 16) | ((rgb[3 * i + 1] & 0xff) << 8) | (rgb[3 * i + 2] & 0xff);
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, width, height, pixels, 0, width);
    return image;
  }
}
