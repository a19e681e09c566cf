package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.diffusion.DiTConfig;
import dev.aligntok.trainer.diffusion.FlowTrainer;
import dev.aligntok.trainer.diffusion.FlowTrainingConfig;
import dev.aligntok.trainer.diffusion.LatentProvenance;
import dev.aligntok.trainer.diffusion.LatentTrainingData;
import dev.aligntok.trainer.diffusion.RectifiedFlow;
import dev.aligntok.trainer.latents.LatentSet;
import dev.aligntok.trainer.train.TrainingLoop;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code aligntok train dit}: the diffusion transformer on extracted latents, resumable. */
@Command(name = "dit", mixinStandardHelpOptions = true,
    description = "Train the class-conditional diffusion transformer (rectified flow) on latents written by "
        + "extract-latents. Writes checkpoints and metrics.jsonl under --run and resumes from the last checkpoint "
        + "when rerun with the same model size.")
final class TrainDitCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--latents", paramLabel = "DIR", defaultValue = "runs/emoji-default/latents/train",
      description = "Extracted latents (default: ${DEFAULT-VALUE}).")
  Path latents;

  @Option(names = "--run", paramLabel = "DIR", defaultValue = "runs/emoji-default/dit",
      description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--size", paramLabel = "SIZE", defaultValue = "demo",
      description = "Model size: demo (width 192, 6 blocks) or tiny (width 32, 2 blocks; for smoke tests) (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "3000", description = "Optimizer steps (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Latents per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--lr", paramLabel = "LR", description = "Peak learning rate (default: 5e-4).")
  Float learningRate;

  @Option(names = "--cosine-weight", paramLabel = "W", defaultValue = "0",
      description = "Weight of the cosine term beside the velocity MSE (default: ${DEFAULT-VALUE}).")
  float cosineWeight;

  @Option(names = "--checkpoint-every", paramLabel = "N",
      description = "Steps between checkpoints (default: 500, or --steps when smaller).")
  Integer checkpointEvery;

  @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "" + FlowTrainer.DEFAULT_KEEP,
      description = "Newest checkpoints kept; raise it to evaluate the run at several steps (default: ${DEFAULT-VALUE}).")
  int keepCheckpoints;

  @Option(names = "--seed", defaultValue = "7", description = "Data order, noise and initialisation (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    FlowTrainingConfig defaults = FlowTrainingConfig.defaults(steps);
    FlowTrainingConfig config;
    try {
      config = new FlowTrainingConfig(steps, batchSize, learningRate != null ? learningRate : defaults.learningRate(),
          defaults.warmupSteps(), defaults.gradientClip(), defaults.emaDecay(), defaults.classDropout(), cosineWeight,
          defaults.useFlips(), checkpointEvery != null ? checkpointEvery : defaults.checkpointEvery(), defaults.logEvery(), seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, null);
    }
    if (keepCheckpoints < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--keep-checkpoints must be >= 1, got " + keepCheckpoints);
    }
    if (!size.equals("demo") && !size.equals("tiny")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--size must be demo or tiny, got '" + size + "'");
    }
    LatentSet set = LatentSet.read(latents);
    LatentTrainingData data = LatentTrainingData.from(set);
    if (data.height() != data.width()) {
      throw new IllegalArgumentException("the DiT needs square latent grids, got " + data.height() + "x" + data.width());
    }
    DiTConfig model = size.equals("demo")
        ? DiTConfig.demo(data.channels(), data.height(), data.labelNames().size())
        : DiTConfig.tiny(data.channels(), data.height(), data.labelNames().size());
    System.out.printf("DiT %s on %d latents %dx%dx%d, %d classes, from %s%n", size, data.count(), data.channels(),
        data.height(), data.width(), data.labelNames().size(), latents);
    TrainingLoop.Result result = new FlowTrainer(run, System.out, keepCheckpoints).train(model, config, RectifiedFlow.standard().withCosineWeight(cosineWeight),
        data, LatentProvenance.of(set, run));
    System.out.printf("DiT: %d steps in %.0f s (%.2f steps/s); last losses %s; checkpoint %s%n", result.steps(),
        result.trainingSeconds(), result.stepsPerSecond(), result.lastLosses(), result.checkpoint());
    return 0;
  }
}
