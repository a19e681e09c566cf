package dev.aligntok.trainer.latents;

/**
 * {@code latent-stats.json}: per-channel mean and standard deviation of the extracted latents,
 * for normalising them before diffusion training (LightningDiT divides {@code (z - mean)} by
 * {@code std}). The same numbers, as float32 [1, C, 1, 1] tensors {@code mean} and {@code std},
 * are in {@code latents_stats.safetensors}.
 *
 * @param includesFlips whether the flipped-input latents were counted too
 * @param over the values the statistics are taken over, in words
 * @param valuesPerChannel how many values each channel's statistics are over
 * @param stdDefinition how {@code std} is defined
 */
public record LatentChannelStats(int channels, boolean includesFlips, String over, long valuesPerChannel,
    String stdDefinition, float[] mean, float[] std) {}
