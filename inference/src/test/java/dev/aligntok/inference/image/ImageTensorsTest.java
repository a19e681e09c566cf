package dev.aligntok.inference.image;

import static dev.aligntok.inference.image.TestImages.pixel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {
  @Test
  void layoutIsChannelPlanesThenRows() {
    BufferedImage image = TestImages.rgb(2, 1, pixel(10, 20, 30), pixel(40, 50, 60));
    float[] chw = ImageTensors.toChw(image, Normalization.ZERO_ONE);
    assertArrayEquals(new float[] {10 / 255f, 40 / 255f, 20 / 255f, 50 / 255f, 30 / 255f, 60 / 255f}, chw);
  }

  @Test
  void normalisationsMapTheEnds() {
    assertEquals(0f, Normalization.ZERO_ONE.normalize(0));
    assertEquals(1f, Normalization.ZERO_ONE.normalize(255));
    assertEquals(-1f, Normalization.MINUS_ONE_ONE.normalize(0));
    assertEquals(1f, Normalization.MINUS_ONE_ONE.normalize(255));
    assertEquals(0.003921628f, Normalization.MINUS_ONE_ONE.normalize(128), 1e-7f);
  }

  @Test
  void everyByteValueRoundTripsInBothNormalisations() {
    for (Normalization normalization : Normalization.values()) {
      for (int value = 0; value <= 255; value++) {
        assertEquals(value, normalization.denormalize(normalization.normalize(value)), normalization + " " + value);
      }
    }
  }

  @Test
  void denormaliseClampsAndRoundsHalfUp() {
    assertEquals(255, Normalization.ZERO_ONE.denormalize(2f));
    assertEquals(0, Normalization.ZERO_ONE.denormalize(-0.5f));
    assertEquals(0, Normalization.MINUS_ONE_ONE.denormalize(Float.NaN));
    assertEquals(255, Normalization.MINUS_ONE_ONE.denormalize(Float.POSITIVE_INFINITY));
    assertEquals(128, Normalization.ZERO_ONE.denormalize(127.5f / 255f));
    assertEquals(127, Normalization.ZERO_ONE.denormalize(127.49f / 255f));
  }

  @Test
  void imagesRoundTripThroughABatchArrayAndPng() {
    BufferedImage first = TestImages.noise(3, 2, 1);
    BufferedImage second = TestImages.noise(3, 2, 2);
    float[] batch = new float[2 * 3 * 2 * 3];
    ImageTensors.toChw(first, Normalization.MINUS_ONE_ONE, batch, 0);
    ImageTensors.toChw(second, Normalization.MINUS_ONE_ONE, batch, 18);

    BufferedImage back = ImageTensors.fromChw(batch, 18, 2, 3, Normalization.MINUS_ONE_ONE);
    assertArrayEquals(TestImages.pixels(second), TestImages.pixels(back));
    BufferedImage decoded = new ImageDecoder().decodeRgb(ImageTensors.toPng(back), "round-trip");
    assertArrayEquals(TestImages.pixels(second), TestImages.pixels(decoded));
  }

  @Test
  void outOfRangeOffsetsAreRejected() {
    BufferedImage image = TestImages.noise(2, 2, 1);
    assertThrows(IllegalArgumentException.class, () -> ImageTensors.toChw(image, Normalization.ZERO_ONE, new float[12], 1));
    assertThrows(IllegalArgumentException.class, () -> ImageTensors.fromChw(new float[12], 1, 2, 2, Normalization.ZERO_ONE));
  }
}
