package dev.aligntok.trainer.cli;

import dev.aligntok.inference.text.TextEncoderArtifact;
import dev.aligntok.trainer.captions.CaptionEmbeddings;
import dev.aligntok.trainer.captions.CaptionOptions;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.diffusion.CaptionConditions;
import dev.aligntok.trainer.diffusion.CaptionRecord;
import dev.aligntok.trainer.diffusion.ConditionSource;
import dev.aligntok.trainer.diffusion.DiTConfig;
import dev.aligntok.trainer.diffusion.FlowTrainer;
import dev.aligntok.trainer.diffusion.FlowTrainingConfig;
import dev.aligntok.trainer.diffusion.LatentProvenance;
import dev.aligntok.trainer.diffusion.LatentTrainingData;
import dev.aligntok.trainer.diffusion.RectifiedFlow;
import dev.aligntok.trainer.latents.LatentSet;
import dev.aligntok.trainer.train.TrainingLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok train dit}: the diffusion transformer on extracted latents, resumable. */
@Command(name = "dit", mixinStandardHelpOptions = true,
    description = "Train the diffusion transformer (rectified flow) on latents written by extract-latents, "
        + "conditioned on the latents' classes (default) or, with --conditioning text, on captions: each step draws "
        + "one of the image's captions (emoji names, short names, emojilib keywords in templates; a flipped latent "
        + "keeps its image's captions) and feeds its all-MiniLM-L6-v2 sentence embedding to adaLN; 10 %% of conditions "
        + "are replaced by the empty prompt's embedding for classifier-free guidance. The captions' embeddings are "
        + "computed once into RUN/" + CaptionEmbeddings.FILE + ". Writes checkpoints and metrics.jsonl under --run "
        + "and resumes from the last checkpoint when rerun with the same model size.")
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

  @Option(names = "--seed", defaultValue = "7",
      description = "Data order, noise, initialisation and (text) caption draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--conditioning", paramLabel = "MODE", defaultValue = "class",
      description = "class: the latents' class ids; text: captions of the emoji images, as sentence embeddings "
          + "(emoji latents only) (default: ${DEFAULT-VALUE}).")
  String conditioning;

  @Mixin
  CaptionSplitOptions captionSplit;

  @Mixin
  CacheOption cache;

  @Override
  public Integer call() {
    FlowTrainingConfig defaults = FlowTrainingConfig.defaults(steps);
    FlowTrainingConfig config;
    try {
      config = new FlowTrainingConfig(steps, batchSize, learningRate != null ? learningRate : defaults.learningRate(),
          defaults.warmupSteps(), defaults.gradientClip(), defaults.emaDecay(), defaults.classDropout(), cosineWeight,
          defaults.useFlips(), checkpointEvery != null ? checkpointEvery : defaults.checkpointEvery(), defaults.logEvery(), seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    if (keepCheckpoints < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--keep-checkpoints must be >= 1, got " + keepCheckpoints);
    }
    if (!size.equals("demo") && !size.equals("tiny")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--size must be demo or tiny, got '" + size + "'");
    }
    if (!conditioning.equals("class") && !conditioning.equals("text")) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--conditioning must be class or text, got '"
          + (conditioning.length() <= 32 ? conditioning : conditioning.substring(0, 32) + "…") + "'");
    }
    boolean text = conditioning.equals("text");
    CaptionOptions captionOptions;
    try {
      captionOptions = captionSplit.options(null);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    LatentSet set = LatentSet.read(latents);
    LatentTrainingData data = LatentTrainingData.from(set);
    if (data.height() != data.width()) {
      throw new IllegalArgumentException("the DiT needs square latent grids, got " + data.height() + "x" + data.width());
    }
    DiTConfig model = size.equals("demo")
        ? DiTConfig.demo(data.channels(), data.height(), data.labelNames().size())
        : DiTConfig.tiny(data.channels(), data.height(), data.labelNames().size());
    ConditionSource conditions = null;
    if (text) {
      conditions = captionConditions(set, captionOptions);
      model = model.withTextConditioning(conditions.width());
    }
    System.out.printf("DiT %s (%s conditioning) on %d latents %dx%dx%d, %d classes, from %s%n", size, conditioning,
        data.count(), data.channels(), data.height(), data.width(), data.labelNames().size(), latents);
    TrainingLoop.Result result = new FlowTrainer(run, System.out, keepCheckpoints).train(model, config, RectifiedFlow.standard().withCosineWeight(cosineWeight),
        data, LatentProvenance.of(set, run), conditions);
    System.out.printf("DiT: %d steps in %.0f s (%.2f steps/s); last losses %s; checkpoint %s%n", result.steps(),
        result.trainingSeconds(), result.stepsPerSecond(), result.lastLosses(), result.checkpoint());
    return 0;
  }

  /**
   * The captions of the latents' images, their embeddings (cached in the run) and the run's
   * {@link CaptionRecord}; a run recorded with other captions is refused, since its resume would not
   * continue the same training.
   */
  private ConditionSource captionConditions(LatentSet set, CaptionOptions options) {
    String dataset = set.index().extraction().dataset();
    CaptionSet captions = CaptionSplitOptions.captions(cache.resolve(), dataset, options);
    List<String> imageIds = CaptionConditions.imageIds(set);
    List<String> used = CaptionConditions.captionsOf(captions, imageIds);
    TextEncoderArtifact artifact = TextEncoderArtifact.MINILM_L6_V2_Q;
    CaptionRecord record = new CaptionRecord(dataset, options.splitSeed(), options.heldOutShare(),
        options.templates().key(), options.keywords().key(), seed, used.size(),
        artifact.coordinates(), artifact.modelSha256());
    CaptionRecord.read(run).filter(recorded -> !recorded.sameCaptions(record)).ifPresent(recorded -> {
      throw new IllegalArgumentException(run.resolve(CaptionRecord.FILE) + " records other captions (" + recorded
          + ") than this command asks for (" + record + "); use another run directory or the recorded options");
    });
    System.out.println("captions: " + captions.summary());
    CaptionEmbeddings embeddings = CaptionEmbeddings.loadOrCompute(run.resolve(CaptionEmbeddings.FILE), used, artifact,
        CaptionSplitOptions::openEncoder, System.out);
    record.write(run);
    return new CaptionConditions(captions, imageIds, embeddings, seed);
  }
}
