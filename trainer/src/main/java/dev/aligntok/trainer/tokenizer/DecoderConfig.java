package dev.aligntok.trainer.tokenizer;

import java.util.List;

/**
 * Shape of the CNN decoder {@code D}.
 *
 * @param latentChannels C, channels of the latent it decodes
 * @param channels       width per level, lowest resolution first; the decoder upsamples ×2 between
 *                       levels, so it enlarges the latent grid by 2^(levels − 1)
 * @param blocksPerLevel residual blocks at each level
 * @param midAttention   self-attention between the two mid residual blocks (costly at large grids)
 */
public record DecoderConfig(int latentChannels, List<Integer> channels, int blocksPerLevel, boolean midAttention) {
  public DecoderConfig {
    channels = List.copyOf(channels);
    if (latentChannels <= 0) {
      throw new IllegalArgumentException("latentChannels must be positive, got " + latentChannels);
    }
    if (channels.isEmpty() || channels.stream().anyMatch(c -> c <= 0)) {
      throw new IllegalArgumentException("decoder channels must be a non-empty list of positive widths, got " + channels);
    }
    if (blocksPerLevel <= 0) {
      throw new IllegalArgumentException("blocksPerLevel must be positive, got " + blocksPerLevel);
    }
  }

  /** How much the decoder enlarges the latent grid. */
  public int upsampling() {
    return 1 << (channels.size() - 1);
  }
}
