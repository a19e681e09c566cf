package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.train.TrainingLoop;
import java.util.List;
import java.util.Map;

/**
 * The JSON beside a DiT checkpoint's weights: everything needed to resume training or to sample
 * (architecture, latent statistics, class names, where the latents came from).
 */
public record FlowTrainingState(long step, DiTConfig model, FlowTrainingConfig training, float[] channelMean,
    float[] channelStd, List<String> classNames, Map<String, List<String>> classSynonyms, LatentProvenance provenance, double trainingSeconds, Map<String, Double> lastLosses)
    implements TrainingLoop.SavedState {}
