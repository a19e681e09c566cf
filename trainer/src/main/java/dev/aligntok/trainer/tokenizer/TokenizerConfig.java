package dev.aligntok.trainer.tokenizer;

import java.util.List;

/**
 * Everything that fixes a tokenizer's architecture (not its training).
 *
 * @param imageSize       side of the images it encodes and reconstructs (pixels)
 * @param encoderScale    images are enlarged by this integer factor (nearest neighbour) before the
 *                        encoder, whose features are meant for larger inputs than our 64 px emoji
 * @param encoder         {@code mobilenet_v2} (the only pretrained encoder available offline)
 * @param encoderTap      the encoder layer whose output is the token grid
 * @param pretrained      ImageNet weights (AlignTok) or random initialisation (the vanilla baseline)
 * @param adapterHidden   hidden width of the per-token MLP adapter
 * @param decoder         the CNN decoder; its latentChannels is C
 */
public record TokenizerConfig(int imageSize, int encoderScale, String encoder, String encoderTap, boolean pretrained,
    int adapterHidden, DecoderConfig decoder) {

  public TokenizerConfig {
    if (imageSize <= 0 || encoderScale <= 0 || adapterHidden <= 0) {
      throw new IllegalArgumentException("imageSize, encoderScale and adapterHidden must be positive");
    }
    if (!"mobilenet_v2".equals(encoder)) {
      throw new IllegalArgumentException("unknown encoder '" + encoder + "': supported is mobilenet_v2");
    }
  }

  /**
   * The demo default: 64 px emoji, seen by MobileNetV2 at 128 px up to block_10 (stride 16), so an
   * 8×8 token grid; C = 8 latent channels, i.e. 512 numbers for 12,288 pixel values — 1/24, the
   * paper's ratio (256² RGB → 16×16×32). Decoder widths (128, 128, 64, 32) upsample ×8.
   */
  public static TokenizerConfig emojiDefault(boolean pretrained) {
    return new TokenizerConfig(64, 2, "mobilenet_v2", "block_10_expand_relu", pretrained, 256,
        new DecoderConfig(8, List.of(128, 128, 64, 32), 1, true));
  }

  public int latentChannels() {
    return decoder.latentChannels();
  }

  /** Side of the encoder's token grid for a given stride. */
  public int gridSize(int encoderStride) {
    return imageSize * encoderScale / encoderStride;
  }
}
