package dev.aligntok.trainer.data;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * A grid of images on a mid-grey background (the 2-pixel grey gutters show where white tiles end).
 * For eyeballing datasets, reconstructions and samples.
 */
public final class ContactSheet {
  private static final int GUTTER = 2;
  private static final int GREY = 0x808080;

  private ContactSheet() {}

  /** Tiles of equal size, left to right, top to bottom. */
  public static BufferedImage of(List<BufferedImage> tiles, int columns) {
    if (tiles.isEmpty() || columns <= 0) {
      throw new IllegalArgumentException("a contact sheet needs at least one tile and one column");
    }
    int tileWidth = tiles.get(0).getWidth();
    int tileHeight = tiles.get(0).getHeight();
    int rows = (tiles.size() + columns - 1) / columns;
    int width = GUTTER + columns * (tileWidth + GUTTER);
    int height = GUTTER + rows * (tileHeight + GUTTER);
    BufferedImage sheet = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] background = new int[width * height];
    Arrays.fill(background, GREY);
    sheet.setRGB(0, 0, width, height, background, 0, width);
    for (int i = 0; i < tiles.size(); i++) {
      BufferedImage tile = tiles.get(i);
      if (tile.getWidth() != tileWidth || tile.getHeight() != tileHeight) {
        throw new IllegalArgumentException("tile " + i + " is " + tile.getWidth() + "x" + tile.getHeight()
            + ", expected " + tileWidth + "x" + tileHeight);
      }
      int x = GUTTER + (i % columns) * (tileWidth + GUTTER);
      int y = GUTTER + (i / columns) * (tileHeight + GUTTER);
      sheet.setRGB(x, y, tileWidth, tileHeight, tile.getRGB(0, 0, tileWidth, tileHeight, null, 0, tileWidth), 0, tileWidth);
    }
    return sheet;
  }
}
