package dev.aligntok.trainer.tokenizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Shape of the vanilla tokenizer's LDM-style CNN encoder ({@link CnnEncoder}), the mirror of
 * {@link DecoderConfig}: it downsamples ×2 between levels, so its stride is 2^(levels − 1).
 *
 * @param channels       width per level, highest resolution first
 * @param blocksPerLevel residual blocks at each level
 * @param midAttention   self-attention between the two mid residual blocks (at the latent grid)
 */
public record CnnEncoderConfig(List<Integer> channels, int blocksPerLevel, boolean midAttention) {
  public CnnEncoderConfig {
    channels = List.copyOf(channels);
    if (channels.isEmpty() || channels.stream().anyMatch(c -> c <= 0)) {
      throw new IllegalArgumentException("CNN encoder channels must be a non-empty list of positive widths, got " + channels);
    }
    if (blocksPerLevel <= 0) {
      throw new IllegalArgumentException("CNN encoder blocksPerLevel must be positive, got " + blocksPerLevel);
    }
  }

  /** The encoder that mirrors a decoder: its widths reversed, same blocks per level and mid attention. */
  public static CnnEncoderConfig mirroring(DecoderConfig decoder) {
    List<Integer> reversed = new ArrayList<>(decoder.channels());
    Collections.reverse(reversed);
    return new CnnEncoderConfig(reversed, decoder.blocksPerLevel(), decoder.midAttention());
  }

  /** Input pixels per output cell along each axis. */
  public int stride() {
    return 1 << (channels.size() - 1);
  }

  /** Width of the feature map it outputs (the adapter's input). */
  public int outputChannels() {
    return channels.get(channels.size() - 1);
  }
}
