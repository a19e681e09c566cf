package dev.aligntok.inference.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;
import java.awt.image.WritableRaster;

/**
 * Packed 0xRRGGBB pixels of images, read and written through their backing arrays where the layout
 * allows. {@code getRGB}/{@code setRGB} convert every pixel through the colour model, which made
 * pixel shuffling cost as much as a small model's forward pass in serving; the results here are
 * the same values, bit for bit.
 */
final class RgbPixels {
  private RgbPixels() {}

  /**
   * The pixels of an RGB image, row-major. For a plain TYPE_INT_RGB image this is its backing array
   * (no copy), so callers must only read it; any other image is converted by {@code getRGB}.
   */
  static int[] readOnly(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    if (image.getType() == BufferedImage.TYPE_INT_RGB && isWholeRaster(image.getRaster(), width)) {
      return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }
    return image.getRGB(0, 0, width, height, null, 0, width);
  }

  /** A new TYPE_INT_RGB image holding {@code pixels} (0xRRGGBB, row-major; alpha bits ignored). */
  static BufferedImage image(int[] pixels, int width, int height) {
    if (pixels.length != width * height) {
      throw new IllegalArgumentException(pixels.length + " pixels do not make a " + width + "x" + height + " image");
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < pixels.length; i++) {
      target[i] = pixels[i] & 0xffffff;
    }
    return image;
  }

  /**
   * A TYPE_INT_RGB image backed by {@code pixels} itself (0xRRGGBB, row-major; alpha bits cleared in
   * place): no second copy of a large image. The caller hands the array over and must not keep it.
   */
  static BufferedImage wrap(int[] pixels, int width, int height) {
    if (pixels.length != width * height) {
      throw new IllegalArgumentException(pixels.length + " pixels do not make a " + width + "x" + height + " image");
    }
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] &= 0xffffff;
    }
    return wrapClean(pixels, width, height);
  }

  /** As {@link #wrap}, for pixels whose alpha bits are already zero. */
  static BufferedImage wrapClean(int[] pixels, int width, int height) {
    DirectColorModel rgb = new DirectColorModel(24, 0xff0000, 0xff00, 0xff);
    WritableRaster raster = Raster.createPackedRaster(new DataBufferInt(pixels, pixels.length), width, height, width,
        rgb.getMasks(), null);
    return new BufferedImage(rgb, raster, false, null);
  }

  /**
   * Straight-alpha sRGB pixels (0xAARRGGBB) of an 8-bit interleaved RGB or RGBA image, read from its
   * bytes — what ImageIO's PNG and JPEG readers produce for colour images, in any band order — or
   * null when the image has another layout (the caller then uses {@code getRGB}).
   */
  static int[] argbOfInterleavedBytes(BufferedImage image) {
    Raster raster = image.getRaster();
    if (!(image.getColorModel() instanceof ComponentColorModel model) || !model.getColorSpace().isCS_sRGB()
        || model.isAlphaPremultiplied() || !(raster.getDataBuffer() instanceof DataBufferByte buffer)
        || !(raster.getSampleModel() instanceof PixelInterleavedSampleModel layout)
        || !isWholeRaster(raster, image.getWidth())) {
      return null;
    }
    int bands = layout.getNumBands();
    boolean alpha = model.hasAlpha();
    if (bands != (alpha ? 4 : 3) || model.getComponentSize().length != bands) {
      return null;
    }
    for (int bits : model.getComponentSize()) {
      if (bits != 8) {
        return null;
      }
    }
    int[] offsets = layout.getBandOffsets();
    int red = offsets[0];
    int green = offsets[1];
    int blue = offsets[2];
    int stride = layout.getPixelStride();
    byte[] bytes = buffer.getData();
    int[] argb = new int[image.getWidth() * image.getHeight()];
    for (int i = 0, at = 0; i < argb.length; i++, at += stride) {
      int a = alpha ? bytes[at + offsets[3]] & 0xff : 0xff;
      argb[i] = a << 24 | (bytes[at + red] & 0xff) << 16 | (bytes[at + green] & 0xff) << 8 | (bytes[at + blue] & 0xff);
    }
    return argb;
  }

  /** True when the raster is its data buffer from the first element on, rows packed back to back. */
  private static boolean isWholeRaster(Raster raster, int width) {
    if (raster.getSampleModelTranslateX() != 0 || raster.getSampleModelTranslateY() != 0
        || raster.getDataBuffer().getNumBanks() != 1 || raster.getDataBuffer().getOffset() != 0) {
      return false;
    }
    if (raster.getSampleModel() instanceof SinglePixelPackedSampleModel packed) {
      return packed.getScanlineStride() == width;
    }
    if (raster.getSampleModel() instanceof PixelInterleavedSampleModel interleaved) {
      return interleaved.getScanlineStride() == width * interleaved.getPixelStride();
    }
    return false;
  }
}
