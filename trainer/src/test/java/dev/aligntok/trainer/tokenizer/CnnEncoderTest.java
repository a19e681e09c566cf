package dev.aligntok.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.aligntok.trainer.nn.GroupNorm;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vanilla tokenizer's CNN encoder: shapes, its GroupNorms, and the tokenizer it makes at the demo size. */
class CnnEncoderTest {

  @Test
  void demoEncoderMirrorsTheDecoderAndGivesTheSameGridAsAlignTok() {
    TokenizerConfig vanilla = TokenizerConfig.emojiVanilla(8, false);
    assertEquals(List.of(32, 64, 128, 128), vanilla.cnnEncoder().channels());
    assertEquals(8, vanilla.cnnEncoder().stride());
    assertEquals(2, vanilla.perceptualScale(), "the perceptual network sees 128 px, as in AlignTok");
    assertEquals(TokenizerConfig.emojiDefault(true).perceptualScale(), vanilla.perceptualScale());
    try (NDManager manager = NDManager.newBaseManager()) {
      for (int channels : new int[] {8, 32}) {
        Tokenizer tokenizer = Tokenizer.create(TokenizerConfig.emojiVanilla(channels, false), null, manager);
        Tokenizer alignTok = Tokenizer.create(TokenizerConfig.emojiDefault(false, channels), null, manager);
        assertEquals(alignTok.gridSize(), tokenizer.gridSize());
        ParameterStore store = new ParameterStore(manager, false);
        NDArray images = manager.randomUniform(0, 1, new Shape(2, 3, 64, 64));
        assertEquals(new Shape(2, 128, 8, 8), tokenizer.features(store, images, false).getShape());
        NDArray latent = tokenizer.encode(store, images, false);
        assertEquals(new Shape(2, channels, 8, 8), latent.getShape());
        assertEquals(new Shape(2, 3, 64, 64), tokenizer.decode(store, latent, false).getShape());
      }
    }
  }

  @Test
  void everyNormIsAGroupNormOfAtMost32GroupsAndAtLeast4ChannelsEach() {
    CnnEncoder encoder = new CnnEncoder(new CnnEncoderConfig(List.of(32, 64, 128, 128), 1, true));
    List<GroupNorm> norms = new java.util.ArrayList<>();
    collectNorms(encoder, norms);
    assertEquals(2 * 6 + 1 + 1, norms.size(), "two per ResBlock (4 levels, 2 mid), the attention's and norm_out");
    for (GroupNorm norm : norms) {
      assertTrue(norm.groups() <= 32, norm.groups() + " groups");
    }
    assertEquals(8, GroupNorm.forChannels(32).groups());
    assertEquals(16, GroupNorm.forChannels(64).groups());
    assertEquals(32, GroupNorm.forChannels(128).groups());
  }

  /**
   * GroupNorm at the encoder's widths against a plain double-precision reference, on activations
   * with a large common offset (what a conv stem can give): the float32 two-pass variance holds.
   */
  @Test
  void groupNormAtEncoderWidthsMatchesAPlainReference() {
    for (int channels : new int[] {32, 64, 128}) {
      int n = 2;
      int hw = 16;
      float[] data = new float[n * channels * hw];
      Random random = new Random(channels);
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) (50 + random.nextGaussian() * 0.5);
      }
      GroupNorm norm = GroupNorm.forChannels(channels);
      try (NDManager manager = NDManager.newBaseManager()) {
        norm.initialize(manager, DataType.FLOAT32, new Shape(n, channels, 4, 4));
        float[] actual = norm.forward(new ParameterStore(manager, false),
            new NDList(manager.create(data, new Shape(n, channels, 4, 4))), false).singletonOrThrow().toFloatArray();
        assertArrayEquals(reference(data, n, channels, hw, norm.groups(), norm.epsilon()), actual, 2e-4f, channels + " channels");
      }
    }
  }

  @Test
  void anInputTheEncoderCannotTileIsAClearError() {
    CnnEncoder encoder = new CnnEncoder(new CnnEncoderConfig(List.of(8, 16), 1, false));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.getOutputShapes(new Shape[] {new Shape(1, 3, 15, 16)}));
    assertTrue(e.getMessage().contains("multiples of its stride 2, got (1, 3, 15, 16)"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new TokenizerConfig(64, 1, TokenizerConfig.LDM_CNN, "", true, 16,
        new DecoderConfig(8, List.of(8), 1, false), new CnnEncoderConfig(List.of(8), 1, false), false, 2));
  }

  private static void collectNorms(ai.djl.nn.Block block, List<GroupNorm> into) {
    if (block instanceof GroupNorm norm) {
      into.add(norm);
    }
    block.getChildren().values().forEach(child -> collectNorms(child, into));
  }

  private static float[] reference(float[] x, int n, int channels, int hw, int groups, float epsilon) {
    float[] out = new float[x.length];
    int perGroup = channels / groups * hw;
    for (int b = 0; b < n; b++) {
      for (int g = 0; g < groups; g++) {
        int start = (b * channels + g * channels / groups) * hw;
        double sum = 0;
        for (int i = 0; i < perGroup; i++) {
          sum += x[start + i];
        }
        double mean = sum / perGroup;
        double squares = 0;
        for (int i = 0; i < perGroup; i++) {
          squares += (x[start + i] - mean) * (x[start + i] - mean);
        }
        double sd = Math.sqrt(squares / perGroup + epsilon);
        for (int i = 0; i < perGroup; i++) {
          out[start + i] = (float) ((x[start + i] - mean) / sd);  // gamma 1, beta 0 as initialised
        }
      }
    }
    return out;
  }
}
