package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.captions.CaptionOptions;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.Splits;
import dev.aligntok.trainer.diffusion.CaptionRecord;
import dev.aligntok.trainer.diffusion.GenerationEvaluation;
import dev.aligntok.trainer.diffusion.TextPrompts;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.features.InceptionV3Features;
import dev.aligntok.trainer.eval.LabelledImages;
import dev.aligntok.trainer.features.MobileNetV2Features;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import dev.aligntok.trainer.train.Checkpoints;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok eval generation}: Fréchet distance and class consistency of a DiT's samples. */
@Command(name = "generation", mixinStandardHelpOptions = true,
    description = "Evaluate a trained DiT: one sample per held-out image, of that image's class, without and with "
        + "classifier-free guidance; Fréchet distance to the held-out images in InceptionV3 mixed5 features (not the "
        + "tokenizer's encoder) and to the tokenizer's own reconstructions of those images "
        + "(the DiT apart from its decoder's error); class consistency (a linear classifier on MobileNetV2 features "
        + "trained on real training images, applied to the samples). A text DiT asks for each class by its caption "
        + "('an emoji of face smiling') and is also scored on prompt consistency: one sample per held-out phrasing "
        + "(keywords and templates no training caption uses; --eval-prompts of them, a fixed seeded subset), judged "
        + "by the same classifier against the emoji class behind the prompt, without and with guidance, beside the "
        + "chance level of a class-blind generator. Writes generation.json, sample grids and loss curves.")
final class EvalGenerationCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CacheOption cache;

  @Mixin
  DatasetSplitOptions data;

  @Mixin
  DiTOptions model;

  @Mixin
  SamplerOptions sampler;

  @Option(names = "--grid-classes", defaultValue = "12", description = "Rows of the sample grids (default: ${DEFAULT-VALUE}).")
  int gridClasses;

  @Option(names = "--sample-seed", defaultValue = "1000", description = "Seed of the first sample (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: DIT-RUN/eval).")
  Path out;

  @Mixin
  FeatureCacheOption featureCache;

  @Option(names = "--eval-prompts", paramLabel = "N", defaultValue = "400",
      description = "Text DiTs: held-out prompts for prompt consistency (default: ${DEFAULT-VALUE}).")
  int evalPrompts;

  @Option(names = "--eval-prompt-seed", paramLabel = "SEED", defaultValue = "0",
      description = "Text DiTs: seed that picks the held-out prompts (default: ${DEFAULT-VALUE}).")
  long evalPromptSeed;

  @Mixin
  CaptionSplitOptions captionSplit;

  @Mixin
  TextProbeOptions textProbes;

  @Mixin
  FrechetBootstrapOption frechetBootstrap;

  @Override
  public Integer call() {
    var settings = new GenerationEvaluation.Settings(sampler.settings(spec.commandLine()), gridClasses, 8, seed,
        frechetBootstrap.resamples(spec.commandLine()));
    if (evalPrompts < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--eval-prompts must be >= 1, got " + evalPrompts);
    }
    DataCache dataCache = cache.resolve();
    Path nsfwjs = DatasetCatalog.require(dataCache, DataSources.NSFWJS);
    DatasetSplitOptions.Opened opened = data.open(dataCache, LabelLevel.SUBCATEGORY);
    Splits.Split split = opened.split();
    try (TrainedDiT dit = TrainedDiT.load(model.dit); TrainedTokenizer tokenizer = model.loadTokenizer(dit, nsfwjs);
         InceptionV3Features inception = InceptionV3Features.fromNsfwjs(nsfwjs);
         MobileNetV2Features mobilenet = MobileNetV2Features.fromNsfwjs(nsfwjs)) {
      if (!opened.dataset().labels().names().equals(dit.classNames())) {
        throw new IllegalArgumentException("the DiT's " + dit.classNames().size() + " classes are not the dataset's "
            + opened.dataset().labels().size() + " labels; evaluate on the dataset it was trained on");
      }
      int size = tokenizer.tokenizer().config().imageSize();
      String name = opened.dataset().name();
      Path outputDir = out != null ? out : model.dit.resolve("eval");
      TextPrompts text = dit.config().textConditioned() ? textPrompts(dit, dataCache, name, split) : null;
      new GenerationEvaluation(inception, mobilenet, featureCache.resolve(dataCache), System.out).evaluate(dit, tokenizer,
          LabelledImages.fromSamples(name + " train", split.train(), size),
          LabelledImages.fromSamples(name + " held-out", split.validation(), size), settings, outputDir,
          model.dit.resolve("metrics.jsonl"), text);
      System.out.println("report → " + outputDir.resolve(GenerationEvaluation.REPORT_FILE));
    }
    return 0;
  }

  /**
   * The class captions and held-out prompts of a text DiT, embedded: the caption split is the run's
   * ({@link CaptionRecord}) unless overridden; prompts of classes the DiT does not know are left out.
   */
  private TextPrompts textPrompts(TrainedDiT dit, DataCache dataCache, String dataset, Splits.Split split) {
    CaptionOptions recorded = CaptionRecord.read(Checkpoints.runDirectoryOf(dit.checkpoint())).map(CaptionRecord::options)
        .orElse(null);
    CaptionSet captions = CaptionSplitOptions.captions(dataCache, dataset, captionSplit.options(recorded));
    return TextPromptSet.build(dit.classNames(), captions, TextPromptSet.imageIds(split.train()), evalPrompts,
        evalPromptSeed, textProbes.enabled, textProbes.linear, System.out);
  }
}
