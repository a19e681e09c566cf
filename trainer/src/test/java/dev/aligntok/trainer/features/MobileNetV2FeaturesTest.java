package dev.aligntok.trainer.features;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Skipped without the nsfwjs package (see {@link NsfwjsPackage}). */
class MobileNetV2FeaturesTest {
  @Test
  void mobileNetV2RefusesLayersNsfwjsFineTuned() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MobileNetV2Features.fromNsfwjs(nsfwjs, new MobileNetV2Config("block_12_add"), 128, 8));
    assertTrue(e.getMessage().contains("fine-tuned"), e.getMessage());
    assertTrue(MobileNetV2Features.isImageNetLayer("block_10_project_BN"));
    assertTrue(MobileNetV2Features.isImageNetLayer("Conv1_relu"));
  }
}
