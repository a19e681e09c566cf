package dev.aligntok.trainer.tokenizer;

import dev.aligntok.trainer.train.TrainingLoop;
import java.util.Map;

/** What a tokenizer checkpoint records besides tensors: enough to resume the stage exactly where it stopped. */
public record TokenizerTrainingState(TokenizerStage stage, long step, TokenizerConfig tokenizer, StageConfig config,
    float ganWeight, double trainingSeconds, Map<String, Double> lastLosses) implements TrainingLoop.SavedState {}
