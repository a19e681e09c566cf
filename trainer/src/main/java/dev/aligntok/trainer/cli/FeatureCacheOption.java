package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.features.FeatureCache;
import picocli.CommandLine.Option;

/** The {@code --[no-]feature-cache} option of the evaluations that extract features of real images. */
final class FeatureCacheOption {
  @Option(names = "--feature-cache", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Keep the pretrained networks' features of real images (and of reconstructions) in CACHE/features, "
          + "so that evaluating another checkpoint on the same data skips computing them again (default: on).")
  boolean enabled;

  FeatureCache resolve(DataCache cache) {
    return enabled ? FeatureCache.at(cache.featuresDir()) : FeatureCache.none();
  }
}
