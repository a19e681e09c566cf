package dev.aligntok.trainer.encoders;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads one image file into a square CHW float array in [0, 1] for {@link FeatureDump}: alpha
 * composited onto white, centre-cropped to a square, resized with bilinear filtering (halving
 * first when shrinking a lot, to avoid aliasing).
 *
 * <p>Stop-gap: to be replaced by the shared image codec in {@code inference}
 * ({@code ImageDecoder.decodeRgb} + {@code Resize.toSquare} + {@code ImageTensors.toChw}), so that
 * training and serving preprocess identically.
 */
final class ImageFileInput {
  private ImageFileInput() {}

  static float[] readSquareChw(Path file, int size) throws IOException {
    if (size <= 0) {
      throw new IllegalArgumentException("input size must be positive, got " + size);
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("no image file at " + file);
    }
    BufferedImage source = ImageIO.read(file.toFile());
    if (source == null) {
      throw new IOException(file + " is not an image javax.imageio can read (PNG, JPEG, GIF, BMP, WBMP)");
    }
    BufferedImage square = resize(centreSquare(onWhite(source)), size);
    float[] chw = new float[3 * size * size];
    int plane = size * size;
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int rgb = square.getRGB(x, y);
        int i = y * size + x;
        chw[i] = ((rgb >> 16) & 0xFF) / 255f;
        chw[plane + i] = ((rgb >> 8) & 0xFF) / 255f;
        chw[2 * plane + i] = (rgb & 0xFF) / 255f;
      }
    }
    return chw;
  }

  private static BufferedImage onWhite(BufferedImage source) {
    BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      g.drawImage(source, 0, 0, null);
    } finally {
      g.dispose();
    }
    return rgb;
  }

  private static BufferedImage centreSquare(BufferedImage image) {
    int side = Math.min(image.getWidth(), image.getHeight());
    return image.getSubimage((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side);
  }

  private static BufferedImage resize(BufferedImage image, int size) {
    BufferedImage current = image;
    while (current.getWidth() / 2 >= size) {
      current = draw(current, current.getWidth() / 2);
    }
    return current.getWidth() == size ? current : draw(current, size);
  }

  private static BufferedImage draw(BufferedImage image, int size) {
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(image, 0, 0, size, size, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
