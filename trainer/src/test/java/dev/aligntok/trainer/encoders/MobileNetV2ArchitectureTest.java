package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.encoders.MobileNetV2Architecture.ConvBn;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Stage;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Truncated;
import java.util.List;
import org.junit.jupiter.api.Test;

class MobileNetV2ArchitectureTest {

  @Test
  void tapsGiveChannelsAndStride() {
    assertTap("block_10_expand_relu", 384, 16);
    assertTap("Conv1_relu", 32, 2);
    assertTap("block_2_add", 24, 4);
    assertTap("block_5_add", 32, 8);
    assertTap("block_12_add", 96, 16);
    assertTap("block_13_pad", 576, 16);
    assertTap("block_13_depthwise_relu", 576, 32);
    assertTap("out_relu", 1280, 32);
    assertEquals("block_10_expand_relu", MobileNetV2Config.defaults().tapLayer());
  }

  @Test
  void matchesKerasLayerCounts() {
    List<Stage> stages = MobileNetV2Architecture.stages();
    long convs = stages.stream().flatMap(s -> s.layers().stream()).filter(ConvBn.class::isInstance).count();
    long depthwise = stages.stream().flatMap(s -> s.layers().stream())
        .filter(l -> l instanceof ConvBn c && c.depthwise()).count();
    long adds = stages.stream().filter(Stage::residual).count();
    long pads = stages.stream().flatMap(s -> s.layers().stream()).filter(MobileNetV2Architecture.Pad.class::isInstance).count();
    // Keras MobileNetV2 (and the nsfwjs topology): 52 BatchNorms, 17 depthwise convs, 10 adds, 5 paddings.
    assertEquals(52, convs);
    assertEquals(17, depthwise);
    assertEquals(10, adds);
    assertEquals(5, pads);
    assertEquals(18 + 1, stages.size()); // stem, expanded_conv, block_1..16, head
  }

  @Test
  void aTapInsideAResidualStageDropsItsAdd() {
    Truncated inside = MobileNetV2Architecture.truncate("block_2_project_BN");
    Stage last = inside.stages().get(inside.stages().size() - 1);
    assertEquals("block_2", last.name());
    assertNull(last.addName());
    Truncated atAdd = MobileNetV2Architecture.truncate("block_2_add");
    assertEquals("block_2_add", atAdd.stages().get(atAdd.stages().size() - 1).addName());
  }

  @Test
  void badTapsSayWhatToUse() {
    IllegalArgumentException conv = assertThrows(IllegalArgumentException.class, () -> new MobileNetV2Config("block_1_expand"));
    assertTrue(conv.getMessage().contains("block_1_expand_BN"), conv.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new MobileNetV2Config("dense_3"));
    assertTrue(unknown.getMessage().contains("dense_3") && unknown.getMessage().contains("block_10_expand_relu"), unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MobileNetV2Config(" "));
    assertFalse(MobileNetV2Architecture.tappableLayers().contains("Conv1"));
  }

  private static void assertTap(String tap, int channels, int stride) {
    Truncated t = MobileNetV2Architecture.truncate(tap);
    assertEquals(channels, t.outputChannels(), tap + " channels");
    assertEquals(stride, t.stride(), tap + " stride");
  }
}
