package dev.aligntok.inference.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A picture of reconstructions: rows of originals, each directly above the row of its
 * reconstructions, {@code columns} images per row, on a light grey background (so white images
 * keep visible edges). Tiles are enlarged by an integer factor with nearest-neighbour sampling, so
 * what you see are the actual pixels. Optional: a title line, and each reconstruction's PSNR under
 * it. Row labels on the left say which row is which.
 */
public final class ReconstructionGrid {
  private static final Color BACKGROUND = new Color(0xd8d8d8);
  private static final Color TEXT = new Color(0x202020);
  /** Pixels between tiles (tests measure layouts with it). */
  public static final int GAP = 4;
  private static final int PAIR_GAP = 12;
  private static final int LABEL_WIDTH = 104;

  /**
   * @param columns images per row
   * @param scale integer enlargement of each tile (64 px × 2 = 128 px tiles)
   * @param title a line above the grid, or null for none
   * @param showPsnr print each reconstruction's PSNR under it
   */
  public record Options(int columns, int scale, String title, boolean showPsnr) {
    public Options {
      if (columns <= 0 || scale <= 0 || scale > 16) {
        throw new IllegalArgumentException("grid needs columns > 0 and scale 1..16, got " + columns + ", " + scale);
      }
    }

    public static Options defaults() {
      return new Options(8, 2, null, true);
    }

    public Options withTitle(String newTitle) {
      return new Options(columns, scale, newTitle, showPsnr);
    }
  }

  private ReconstructionGrid() {}

  public static BufferedImage render(ImageBatch originals, ImageBatch reconstructions, Options options) {
    originals.requireSameShape(reconstructions, "reconstruction grid");
    int n = originals.count();
    int columns = Math.min(options.columns(), n);
    int pairs = (n + columns - 1) / columns;
    int tileW = originals.width() * options.scale();
    int tileH = originals.height() * options.scale();
    Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    Font captionFont = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    int captionH = options.showPsnr() ? 15 : 0;
    int titleH = options.title() == null ? 0 : 28;
    int width = Math.max(LABEL_WIDTH + columns * (tileW + GAP) + GAP, textWidth(options.title(), titleFont) + 3 * GAP);
    int pairH = tileH + GAP + tileH + captionH;
    int height = titleH + GAP + pairs * pairH + (pairs - 1) * PAIR_GAP + GAP;

    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, width, height);
      g.setColor(TEXT);
      if (options.title() != null) {
        g.setFont(titleFont);
        g.drawString(options.title(), GAP + 2, 20);
      }
      double[] psnr = options.showPsnr() ? ImageMetrics.psnr(originals, reconstructions) : null;
      for (int i = 0; i < n; i++) {
        int pair = i / columns;
        int x = LABEL_WIDTH + GAP + (i % columns) * (tileW + GAP);
        int y = titleH + GAP + pair * (pairH + PAIR_GAP);
        g.drawImage(tile(originals, i), x, y, tileW, tileH, null);
        g.drawImage(tile(reconstructions, i), x, y + tileH + GAP, tileW, tileH, null);
        if (psnr != null) {
          g.setFont(captionFont);
          String caption = String.format(Locale.ROOT, "%.1f dB", psnr[i]);
          FontMetrics metrics = g.getFontMetrics();
          g.drawString(caption, x + (tileW - metrics.stringWidth(caption)) / 2, y + 2 * tileH + GAP + captionH - 3);
        }
      }
      g.setFont(labelFont);
      FontMetrics metrics = g.getFontMetrics();
      for (int pair = 0; pair < pairs; pair++) {
        int y = titleH + GAP + pair * (pairH + PAIR_GAP);
        drawLabel(g, metrics, "original", y, tileH);
        drawLabel(g, metrics, "reconstruction", y + tileH + GAP, tileH);
      }
    } finally {
      g.dispose();
    }
    return canvas;
  }

  /** Renders and writes a PNG (parent directories are created). */
  public static void write(Path png, ImageBatch originals, ImageBatch reconstructions, Options options) {
    writePng(png, render(originals, reconstructions, options));
  }

  public static void writePng(Path png, BufferedImage image) {
    try {
      if (png.toAbsolutePath().getParent() != null) {
        Files.createDirectories(png.toAbsolutePath().getParent());
      }
      Files.write(png, ImageTensors.toPng(image));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }

  // Measured on a scratch image: the canvas must be wide enough for the title before it exists.
  private static int textWidth(String text, Font font) {
    if (text == null) {
      return 0;
    }
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return g.getFontMetrics(font).stringWidth(text);
    } finally {
      g.dispose();
    }
  }

  private static void drawLabel(Graphics2D g, FontMetrics metrics, String text, int top, int tileH) {
    int baseline = top + (tileH + metrics.getAscent() - metrics.getDescent()) / 2;
    g.drawString(text, LABEL_WIDTH - metrics.stringWidth(text) - 2, baseline);
  }

  public static BufferedImage tile(ImageBatch batch, int i) {
    return ImageTensors.fromChw(batch.pixels(), batch.offset(i), batch.height(), batch.width(), Normalization.ZERO_ONE);
  }
}
