package dev.aligntok.trainer.tokenizer;

import java.util.List;

/**
 * Everything that fixes a tokenizer's architecture (not its training).
 *
 * @param imageSize       side of the images it encodes and reconstructs (pixels)
 * @param encoderScale    images are enlarged by this integer factor (nearest neighbour) before the
 *                        encoder, whose features are meant for larger inputs than our 64 px emoji
 * @param encoder         {@value #MOBILENET_V2} (the only pretrained encoder available offline) or
 *                        {@value #LDM_CNN} (the vanilla tokenizer's CNN encoder, trained from scratch)
 * @param encoderTap      the MobileNetV2 layer whose output is the token grid (unused by the CNN encoder)
 * @param pretrained      ImageNet weights (AlignTok) or random initialisation (the baselines)
 * @param adapterHidden   hidden width of the per-token MLP adapter
 * @param decoder         the CNN decoder; its latentChannels is C
 * @param cnnEncoder      the CNN encoder's shape when {@code encoder} is {@value #LDM_CNN}, else null
 * @param gaussianLatent  a diagonal-Gaussian latent (the adapter also predicts a log-variance; training
 *                        samples, inference takes the mean) for a KL term; false: deterministic latents
 * @param perceptualScale the enlargement of images before the perceptual network (MobileNetV2, meant
 *                        for large inputs); 0 in configs written before it existed means encoderScale
 */
public record TokenizerConfig(int imageSize, int encoderScale, String encoder, String encoderTap, boolean pretrained,
    int adapterHidden, DecoderConfig decoder, CnnEncoderConfig cnnEncoder, boolean gaussianLatent, int perceptualScale) {
  public static final String MOBILENET_V2 = "mobilenet_v2";
  public static final String LDM_CNN = "ldm_cnn";
  /** C of the demo and of the study's narrow side of the latent-width frontier. */
  public static final int DEFAULT_LATENT_CHANNELS = 8;

  public TokenizerConfig {
    if (perceptualScale == 0) {
      perceptualScale = encoderScale;
    }
    if (imageSize <= 0 || encoderScale <= 0 || adapterHidden <= 0 || perceptualScale <= 0) {
      throw new IllegalArgumentException("imageSize, encoderScale, adapterHidden and perceptualScale must be positive");
    }
    if (MOBILENET_V2.equals(encoder)) {
      if (cnnEncoder != null) {
        throw new IllegalArgumentException("a CNN encoder shape was given for the " + MOBILENET_V2 + " encoder");
      }
    } else if (LDM_CNN.equals(encoder)) {
      if (cnnEncoder == null || pretrained) {
        throw new IllegalArgumentException("the " + LDM_CNN + " encoder needs its shape and is never pretrained");
      }
    } else {
      throw new IllegalArgumentException("unknown encoder '" + encoder + "': supported are " + MOBILENET_V2 + " and " + LDM_CNN);
    }
  }

  /** A MobileNetV2 tokenizer with deterministic latents and the perceptual network at the encoder's scale. */
  public TokenizerConfig(int imageSize, int encoderScale, String encoder, String encoderTap, boolean pretrained,
      int adapterHidden, DecoderConfig decoder) {
    this(imageSize, encoderScale, encoder, encoderTap, pretrained, adapterHidden, decoder, null, false, encoderScale);
  }

  /**
   * The demo default: 64 px emoji, seen by MobileNetV2 at 128 px up to block_10 (stride 16), so an
   * 8×8 token grid; C = 8 latent channels, i.e. 512 numbers for 12,288 pixel values — 1/24, the
   * paper's ratio (256² RGB → 16×16×32). Decoder widths (128, 128, 64, 32) upsample ×8.
   */
  public static TokenizerConfig emojiDefault(boolean pretrained) {
    return emojiDefault(pretrained, DEFAULT_LATENT_CHANNELS);
  }

  /** {@link #emojiDefault(boolean)} with C latent channels (same 8×8 grid). */
  public static TokenizerConfig emojiDefault(boolean pretrained, int latentChannels) {
    return new TokenizerConfig(64, 2, MOBILENET_V2, "block_10_expand_relu", pretrained, 256, emojiDecoder(latentChannels));
  }

  /**
   * The fair vanilla tokenizer of the same size: the LDM-style CNN encoder mirroring the decoder
   * (widths 32, 64, 128, 128: stride 8, so the same 8×8 grid from 64 px without enlarging), the same
   * adapter, decoder and C, and the perceptual network at the same 128 px as AlignTok's.
   */
  public static TokenizerConfig emojiVanilla(int latentChannels, boolean gaussianLatent) {
    DecoderConfig decoder = emojiDecoder(latentChannels);
    return new TokenizerConfig(64, 1, LDM_CNN, "", false, 256, decoder, CnnEncoderConfig.mirroring(decoder), gaussianLatent, 2);
  }

  private static DecoderConfig emojiDecoder(int latentChannels) {
    return new DecoderConfig(latentChannels, List.of(128, 128, 64, 32), 1, true);
  }

  public int latentChannels() {
    return decoder.latentChannels();
  }

  /** Side of the encoder's token grid for a given stride. */
  public int gridSize(int encoderStride) {
    return imageSize * encoderScale / encoderStride;
  }
}
