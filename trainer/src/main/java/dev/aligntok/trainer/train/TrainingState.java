package dev.aligntok.trainer.train;

import dev.aligntok.trainer.tokenizer.TokenizerConfig;
import java.util.Map;

/** What a checkpoint records besides tensors: enough to resume the stage exactly where it stopped. */
public record TrainingState(TokenizerStage stage, long step, TokenizerConfig tokenizer, StageConfig config,
    float ganWeight, double trainingSeconds, Map<String, Double> lastLosses) {}
