package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.latents.ExtractionInput;
import dev.aligntok.trainer.latents.ExtractionOptions;
import dev.aligntok.trainer.latents.LatentExtractor;
import dev.aligntok.trainer.latents.LatentSet;
import dev.aligntok.trainer.latents.TinyTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Test fixture: the tiny tokenizer's latents of 24 shapes, and a tiny DiT trained on them for a few steps. */
public final class TinyDiT {
  private TinyDiT() {}

  /** Extracts latents into {@code dir/latents} and trains a tiny DiT into {@code dir/dit}; returns the DiT run. */
  public static Path train(Path dir, int steps) {
    Path latents = dir.resolve("latents");
    ExtractionInput input = new ExtractionInput("shapes", "train", TinyTokenizer.shapes(24), List.of("disc", "square"),
        Map.of("disc", List.of("circle")), null);
    LatentExtractor.of(TinyTokenizer.tokenizer(), TinyTokenizer.checkpoint(), FlowTrainerTest.quiet())
        .extract(input, latents, new ExtractionOptions(16, 8, true, false));
    LatentSet set = LatentSet.read(latents);
    LatentTrainingData data = LatentTrainingData.from(set);
    Path run = dir.resolve("dit");
    DiTConfig config = DiTConfig.tiny(data.channels(), data.height(), 2);
    new FlowTrainer(run, FlowTrainerTest.quiet()).train(config, FlowTrainerTest.config(steps), RectifiedFlow.standard(), data,
        LatentProvenance.of(set, run));
    return run;
  }

  /**
   * As {@link #train}, but a text DiT ({@code textDim}-wide conditions) trained on the conditions
   * {@code conditions} makes from the latents (each image's label is {@code data.labels()[i]}).
   */
  public static Path trainText(Path dir, int steps, int textDim, Function<LatentTrainingData, ConditionSource> conditions) {
    Path latents = dir.resolve("latents");
    ExtractionInput input = new ExtractionInput("shapes", "train", TinyTokenizer.shapes(24), List.of("disc", "square"),
        Map.of("disc", List.of("circle")), null);
    LatentExtractor.of(TinyTokenizer.tokenizer(), TinyTokenizer.checkpoint(), FlowTrainerTest.quiet())
        .extract(input, latents, new ExtractionOptions(16, 8, true, false));
    LatentSet set = LatentSet.read(latents);
    LatentTrainingData data = LatentTrainingData.from(set);
    Path run = dir.resolve("dit");
    DiTConfig config = DiTConfig.tiny(data.channels(), data.height(), 2).withTextConditioning(textDim);
    new FlowTrainer(run, FlowTrainerTest.quiet()).train(config, FlowTrainerTest.config(steps), RectifiedFlow.standard(), data,
        LatentProvenance.of(set, run), conditions.apply(data));
    return run;
  }
}
