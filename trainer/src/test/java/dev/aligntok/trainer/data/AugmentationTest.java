package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.image.Resize;
import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {
  @Test
  void flipMirrorsRows() {
    BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 3, 1, new int[] {1, 2, 3}, 0, 3);
    BufferedImage flipped = Augmentation.flipped(image);
    assertArrayEquals(new int[] {3, 2, 1}, rgb(flipped));
  }

  @Test
  void noneIsTheServingCentreCrop() {
    BufferedImage image = TestFiles.noise(9, 6, 1);
    assertArrayEquals(rgb(Resize.centerCropSquare(image)), rgb(Augmentation.NONE.apply(image, new SplittableRandom(1))));
    assertTrue(Augmentation.NONE.isNone());
  }

  @Test
  void cropsAreSquareWithinBoundsAndVaryWithTheRandomSource() {
    BufferedImage image = TestFiles.noise(20, 16, 2);
    Augmentation augmentation = new Augmentation(true, 0.5);
    Set<Integer> sides = new HashSet<>();
    for (long seed = 0; seed < 50; seed++) {
      BufferedImage out = augmentation.apply(image, new SplittableRandom(seed));
      assertEquals(out.getWidth(), out.getHeight());
      assertTrue(out.getWidth() >= 8 && out.getWidth() <= 16, "side " + out.getWidth());
      sides.add(out.getWidth());
      assertArrayEquals(rgb(out), rgb(augmentation.apply(image, new SplittableRandom(seed))));
    }
    assertTrue(sides.size() > 3, "crop sizes " + sides);
  }

  @Test
  void fractionIsValidated() {
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(false, 0));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(false, 1.5));
  }

  private static int[] rgb(BufferedImage image) {
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] &= 0xffffff;
    }
    return pixels;
  }
}
