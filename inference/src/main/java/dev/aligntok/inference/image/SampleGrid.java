package dev.aligntok.inference.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/** Generated samples as a PNG: one row per class, its name at the left, a title on top. */
public final class SampleGrid {
  private static final Color BACKGROUND = new Color(0xd8d8d8);
  private static final Color TEXT = new Color(0x202020);
  private static final int GAP = 4;
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  /** The label column fits its longest label between these widths; longer labels end in "…". */
  private static final int MIN_LABEL_WIDTH = 180;
  private static final int MAX_LABEL_WIDTH = 360;

  private SampleGrid() {}

  /**
   * @param images  rows × columns images, row-major (row r = samples of {@code rowLabels.get(r)})
   * @param scale   integer enlargement of each tile
   */
  public static BufferedImage render(ImageBatch images, List<String> rowLabels, int columns, int scale, String title) {
    int rows = rowLabels.size();
    if (columns <= 0 || rows * columns != images.count()) {
      throw new IllegalArgumentException("sample grid of " + rows + " rows x " + columns + " columns needs "
          + rows * columns + " images, got " + images.count());
    }
    int tileW = images.width() * scale;
    int tileH = images.height() * scale;
    int titleH = title == null ? 0 : 28;
    int labelWidth = labelWidth(rowLabels);
    int width = labelWidth + GAP + columns * (tileW + GAP);
    int height = titleH + GAP + rows * (tileH + GAP);
    BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(BACKGROUND);
      g.fillRect(0, 0, width, height);
      g.setColor(TEXT);
      if (title != null) {
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, GAP + 2, 20);
      }
      g.setFont(LABEL_FONT);
      FontMetrics metrics = g.getFontMetrics();
      for (int r = 0; r < rows; r++) {
        int y = titleH + GAP + r * (tileH + GAP);
        String label = fit(rowLabels.get(r), metrics, labelWidth - 6);
        g.drawString(label, labelWidth - metrics.stringWidth(label) - 2, y + (tileH + metrics.getAscent()) / 2);
        for (int c = 0; c < columns; c++) {
          g.drawImage(ReconstructionGrid.tile(images, r * columns + c), labelWidth + GAP + c * (tileW + GAP), y, tileW, tileH, null);
        }
      }
    } finally {
      g.dispose();
    }
    return canvas;
  }

  /**
   * The title and the first {@code rows} rows of a grid that {@link #render} drew with a title (all
   * of it when it has no more): for figures that set several grids one under another. The rows are
   * found by the background lines between them, so the tile size need not be known.
   */
  public static BufferedImage firstRows(BufferedImage grid, int rows) {
    if (rows <= 0) {
      throw new IllegalArgumentException("rows to keep must be positive, got " + rows);
    }
    int blocks = 0;  // runs of lines with something drawn on them: the title, then each row
    boolean inBlock = false;
    for (int y = 0; y < grid.getHeight(); y++) {
      boolean drawn = !backgroundLine(grid, y);
      if (drawn && !inBlock) {
        blocks++;
      }
      if (!drawn && inBlock && blocks == rows + 1) {
        return grid.getSubimage(0, 0, grid.getWidth(), Math.min(grid.getHeight(), y + GAP));
      }
      inBlock = drawn;
    }
    return grid;
  }

  private static boolean backgroundLine(BufferedImage image, int y) {
    int background = BACKGROUND.getRGB();
    for (int x = 0; x < image.getWidth(); x++) {
      if (image.getRGB(x, y) != background) {
        return false;
      }
    }
    return true;
  }

  public static void write(Path png, ImageBatch images, List<String> rowLabels, int columns, int scale, String title) {
    ReconstructionGrid.writePng(png, render(images, rowLabels, columns, scale, title));
  }

  /** Wide enough for the longest label (prompts are longer than class names), within the bounds. */
  private static int labelWidth(List<String> rowLabels) {
    Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      FontMetrics metrics = scratch.getFontMetrics(LABEL_FONT);
      int widest = rowLabels.stream().mapToInt(metrics::stringWidth).max().orElse(0);
      return Math.max(MIN_LABEL_WIDTH, Math.min(MAX_LABEL_WIDTH, widest + 8));
    } finally {
      scratch.dispose();
    }
  }

  private static String fit(String text, FontMetrics metrics, int width) {
    if (metrics.stringWidth(text) <= width) {
      return text;
    }
    String cut = text;
    while (cut.length() > 1 && metrics.stringWidth(cut + "…") > width) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "…";
  }
}
