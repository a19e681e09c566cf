package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.latents.LatentSet;
import java.util.List;
import java.util.Map;

/**
 * What the flow trainer reads: N latents (C×H×W each, row-major), optionally their horizontally
 * flipped twins, class labels (names and the synonyms prompts may use), and the per-channel mean/std that normalise latents to unit scale.
 */
public record LatentTrainingData(int count, int channels, int height, int width, float[] latents, float[] flippedLatents,
    int[] labels, List<String> labelNames, Map<String, List<String>> labelSynonyms, float[] channelMean, float[] channelStd) {

  public LatentTrainingData {
    labelSynonyms = labelSynonyms == null ? Map.of() : labelSynonyms;
    long size = (long) count * channels * height * width;
    if (count <= 0 || latents.length != size) {
      throw new IllegalArgumentException("latents: expected " + count + "x" + channels + "x" + height + "x" + width
          + " = " + size + " values, got " + latents.length);
    }
    if (flippedLatents != null && flippedLatents.length != size) {
      throw new IllegalArgumentException("flipped latents: expected " + size + " values, got " + flippedLatents.length);
    }
    if (labels.length != count) {
      throw new IllegalArgumentException("labels: expected " + count + ", got " + labels.length);
    }
    for (int label : labels) {
      if (label < 0 || label >= labelNames.size()) {
        throw new IllegalArgumentException("label " + label + " is outside the " + labelNames.size() + " class names");
      }
    }
    if (channelMean.length != channels || channelStd.length != channels) {
      throw new IllegalArgumentException("latent statistics need " + channels + " channels, got mean "
          + channelMean.length + " / std " + channelStd.length);
    }
    for (float std : channelStd) {
      if (!(std > 0) || !Float.isFinite(std)) {
        throw new IllegalArgumentException("latent channel std must be positive and finite, got " + std);
      }
    }
  }

  public static LatentTrainingData from(LatentSet set) {
    return new LatentTrainingData(set.count(), set.channels(), set.height(), set.width(), set.latents(),
        set.flippedLatents(), set.labels(), set.labelNames(), set.labelSynonyms(), set.channelMean(), set.channelStd());
  }

  public int latentSize() {
    return channels * height * width;
  }
}
