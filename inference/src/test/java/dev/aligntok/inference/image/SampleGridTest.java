package dev.aligntok.inference.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleGridTest {
  /** 5 rows × 3 columns of 8×8 random images at scale 2 under a title. */
  private static BufferedImage grid() {
    SplittableRandom random = new SplittableRandom(3);
    float[] pixels = new float[15 * 3 * 8 * 8];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) random.nextDouble();
    }
    return SampleGrid.render(new ImageBatch(pixels, 15, 8, 8), List.of("a", "b", "c", "d", "e"), 3, 2, "title");
  }

  @Test
  void firstRowsKeepsTheTitleAndThatManyRowsWithTheirGap() {
    BufferedImage grid = grid();
    assertEquals(28 + 4 + 5 * (16 + 4), grid.getHeight(), "the layout this test assumes");
    BufferedImage top = SampleGrid.firstRows(grid, 2);
    assertEquals(28 + 4 + 2 * (16 + 4), top.getHeight());
    assertEquals(grid.getWidth(), top.getWidth());
    for (int x = 0; x < top.getWidth(); x += 7) {
      assertEquals(grid.getRGB(x, top.getHeight() - 5), top.getRGB(x, top.getHeight() - 5), "the same pixels");
    }
  }

  @Test
  void askingForAsManyRowsOrMoreGivesTheWholeGrid() {
    BufferedImage grid = grid();
    assertEquals(grid.getHeight(), SampleGrid.firstRows(grid, 5).getHeight());
    assertEquals(grid.getHeight(), SampleGrid.firstRows(grid, 40).getHeight());
    assertThrows(IllegalArgumentException.class, () -> SampleGrid.firstRows(grid, 0));
  }
}
