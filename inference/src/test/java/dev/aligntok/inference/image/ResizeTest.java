package dev.aligntok.inference.image;

import static dev.aligntok.inference.image.TestImages.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ResizeTest {
  @Test
  void shrinkingByTwoAveragesEachBlock() {
    BufferedImage image = grey(4, 4,
        0, 10, 100, 100,
        20, 30, 100, 101,
        7, 7, 255, 255,
        7, 8, 255, 254);
    // Means: 15, 100.25 → 100, 7.25 → 7, 254.75 → 255.
    assertArrayEquals(greyPixels(15, 100, 7, 255), TestImages.pixels(Resize.resize(image, 2, 2)));
  }

  @Test
  void shrinkingByAFractionWeightsPartialPixelsByOverlap() {
    // 3 → 2: output 0 covers [0, 1.5): (0·1 + 90·0.5)/1.5 = 30; output 1 covers [1.5, 3): (90·0.5 + 180)/1.5 = 150.
    assertArrayEquals(greyPixels(30, 150), TestImages.pixels(Resize.resize(grey(3, 1, 0, 90, 180), 2, 1)));
  }

  @Test
  void enlargingIsBilinearWithHalfPixelCentres() {
    // 2 → 4: samples at -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    assertArrayEquals(greyPixels(0, 25, 75, 100), TestImages.pixels(Resize.resize(grey(2, 1, 0, 100), 4, 1)));
    // Rounding is half up: 1 → 2 from [1, 2] gives 1.25 → 1 and 1.75 → 2.
    assertArrayEquals(greyPixels(1, 1, 2, 2), TestImages.pixels(Resize.resize(grey(2, 1, 1, 2), 4, 1)));
  }

  @Test
  void channelsAreResizedIndependently() {
    BufferedImage image = TestImages.rgb(2, 1, pixel(255, 0, 10), pixel(0, 255, 20));
    assertArrayEquals(new int[] {pixel(128, 128, 15)}, TestImages.pixels(Resize.resize(image, 1, 1)));
  }

  @Test
  void sameSizeIsACopyAndUniformStaysUniform() {
    BufferedImage noise = TestImages.noise(5, 3, 9);
    assertArrayEquals(TestImages.pixels(noise), TestImages.pixels(Resize.resize(noise, 5, 3)));

    int colour = pixel(12, 34, 56);
    int[] flat = new int[7 * 5];
    Arrays.fill(flat, colour);
    BufferedImage uniform = TestImages.rgb(7, 5, flat);
    for (int[] size : new int[][] {{3, 2}, {11, 13}, {7, 1}, {1, 9}}) {
      for (int value : TestImages.pixels(Resize.resize(uniform, size[0], size[1]))) {
        assertEquals(colour, value, "uniform image resized to " + size[0] + "x" + size[1]);
      }
    }
  }

  @Test
  void centerCropKeepsTheMiddleAndRoundsTheOffsetDown() {
    BufferedImage wide = grey(5, 2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertArrayEquals(greyPixels(2, 3, 7, 8), TestImages.pixels(Resize.centerCropSquare(wide)));
    BufferedImage tall = grey(1, 3, 1, 2, 3);
    assertArrayEquals(greyPixels(2), TestImages.pixels(Resize.centerCropSquare(tall)));
  }

  @Test
  void toSquareCropsThenResizes() {
    BufferedImage image = grey(6, 4,
        9, 0, 10, 100, 100, 9,
        9, 20, 30, 100, 101, 9,
        9, 7, 7, 255, 255, 9,
        9, 7, 8, 255, 254, 9);
    assertArrayEquals(greyPixels(15, 100, 7, 255), TestImages.pixels(Resize.toSquare(image, 2)));
  }

  @Test
  void badArgumentsAreNamed() {
    BufferedImage image = TestImages.noise(4, 4, 1);
    assertThrows(IllegalArgumentException.class, () -> Resize.resize(image, 0, 3));
    IllegalArgumentException crop = assertThrows(IllegalArgumentException.class, () -> Resize.crop(image, 2, 2, 3, 3));
    assertEquals("crop 3x3+2+2 does not fit in a 4x4 image", crop.getMessage());
  }

  private static BufferedImage grey(int width, int height, int... values) {
    return TestImages.rgb(width, height, greyPixels(values));
  }

  private static int[] greyPixels(int... values) {
    return Arrays.stream(values).map(v -> pixel(v, v, v)).toArray();
  }
}
