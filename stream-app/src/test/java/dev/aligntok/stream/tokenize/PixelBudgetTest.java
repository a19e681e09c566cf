package dev.aligntok.stream.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aligntok.inference.image.ImageInfo;
import dev.aligntok.stream.config.TokenizeConfig;
import org.junit.jupiter.api.Test;

class PixelBudgetTest {
  private final PixelBudget defaults = new PixelBudget(TokenizeConfig.DEFAULT_MAX_BATCH_PIXELS, 32);

  @Test
  void ordinaryImagesTakeOneUnitAndLargeOnesTheirShare() {
    assertEquals(4_000_000, defaults.pixelsPerUnit());
    assertEquals(1, defaults.units(png(1, 1)));
    assertEquals(1, defaults.units(png(256, 256)));
    assertEquals(1, defaults.units(png(1920, 1080)));
    assertEquals(1, defaults.units(png(2000, 2000))); // exactly one unit
    assertEquals(2, defaults.units(png(2000, 2001)));
    assertEquals(3, defaults.units(png(4000, 3000))); // a phone photo
    assertEquals(10, defaults.units(png(6300, 6300))); // the burst of issue 17: three a batch
  }

  @Test
  void anImageAboveTheWholeBudgetTakesAWholeBatchAndNoMore() {
    PixelBudget small = new PixelBudget(1_000_000, 8);
    assertEquals(8, small.units(png(8192, 4882)));
    assertEquals(1, new PixelBudget(3, 8).units(png(1, 1)), "budgets below one pixel a unit still count one");
  }

  @Test
  void budgetsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new PixelBudget(0, 32));
    assertThrows(IllegalArgumentException.class, () -> new PixelBudget(1, 0));
    assertThrows(IllegalArgumentException.class, () -> TokenizeConfig.DEFAULT.withMaxBatchPixels(0));
  }

  private static ImageInfo png(int width, int height) {
    return new ImageInfo("png", width, height);
  }
}
