package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.latents.ExtractionConfig;
import dev.aligntok.trainer.latents.ExtractionInput;
import dev.aligntok.trainer.latents.ExtractionOptions;
import dev.aligntok.trainer.latents.LatentExtractor;
import dev.aligntok.trainer.latents.TokenizerSource;
import dev.aligntok.trainer.tokenizer.TokenizerStage;
import dev.aligntok.trainer.tokenizer.TokenizerTrainer;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aligntok extract-latents}: encodes a dataset split with a trained tokenizer into
 * safetensors shards for diffusion training ({@link LatentExtractor}); resumable.
 */
@Command(name = "extract-latents", mixinStandardHelpOptions = true,
    description = "Encode a dataset split with a trained tokenizer into safetensors shards in LightningDiT's layout "
        + "(latents f32 [n,C,H,W], latents_flip of the horizontally flipped images, labels i64 [n]) plus index.json "
        + "(source id -> shard/row), per-channel mean/std and skipped-images.json. Resumable: rerun the same command "
        + "after an interruption and completed shards are verified and kept.")
final class ExtractLatentsCommand implements Callable<Integer> {
  static final List<String> SPLITS = List.of("train", "held-out", "all");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CacheOption cache;

  @Mixin
  DatasetSplitOptions data;

  @Option(names = "--run", paramLabel = "DIR", defaultValue = "runs/emoji-default",
      description = "Tokenizer run directory (default: ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--stage", paramLabel = "STAGE",
      description = "Use the latest checkpoint of this stage of the run: 1, 2, 3, baseline or vanilla (default: 3).")
  String stage;

  @Option(names = "--checkpoint", paramLabel = "PATH",
      description = "Use this checkpoint directory (RUN/<stage>/checkpoints/step-N) instead of --stage; needs --out.")
  Path checkpoint;

  @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "train",
      description = "train, held-out or all: which side of the seeded split (--validation-fraction, --seed) to encode "
          + "(default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: RUN/latents/<split>).")
  Path out;

  @Option(names = "--shard-size", paramLabel = "N", defaultValue = "1024",
      description = "Images per shard file (default: ${DEFAULT-VALUE}).")
  int shardSize;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
      description = "Images per tokenizer call (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--flip", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also store latents_flip, the latents of the horizontally flipped images (default: on; --no-flip).")
  boolean flip;

  @Option(names = "--overwrite",
      description = "Replace the latents of a different extraction in --out instead of refusing.")
  boolean overwrite;

  @Option(names = "--labels", paramLabel = "LEVEL", defaultValue = "SUBCATEGORY",
      description = "Emoji label level stored as labels: CATEGORY or SUBCATEGORY (default: ${DEFAULT-VALUE}).")
  LabelLevel labels;

  @Override
  public Integer call() {
    // Options first: nothing is read or loaded until they all make sense.
    if (shardSize <= 0) {
      throw usage("--shard-size must be > 0, got " + shardSize);
    }
    if (batchSize <= 0) {
      throw usage("--batch-size must be > 0, got " + batchSize);
    }
    if (!SPLITS.contains(split)) {
      throw usage("--split must be one of " + SPLITS + ", got '" + split + "'");
    }
    if (checkpoint != null && stage != null) {
      throw usage("give --stage or --checkpoint, not both");
    }
    if (checkpoint != null && out == null) {
      throw usage("with --checkpoint, also give --out (the default RUN/latents/<split> belongs to --run)");
    }
    TokenizerStage which;
    try {
      which = TokenizerStage.parse(stage == null ? "3" : stage);
    } catch (IllegalArgumentException e) {
      throw usage("--stage: " + e.getMessage());
    }
    ExtractionOptions options = new ExtractionOptions(shardSize, batchSize, flip, overwrite);
    Path directory = out != null ? out : run.resolve("latents").resolve(split);

    DataCache dataCache = cache.resolve();
    Path nsfwjs = DatasetCatalog.require(dataCache, DataSources.NSFWJS);
    Path chosen = checkpoint;
    if (chosen == null) {
      try {
        chosen = new TokenizerTrainer(run, nsfwjs, System.out).latestOf(which);
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    TokenizerSource source = TokenizerSource.ofCheckpoint(chosen);
    DatasetSplitOptions.Opened opened = data.open(dataCache, labels);
    List<Sample> samples = switch (split) {
      case "train" -> opened.split().train();
      case "held-out" -> opened.split().validation();
      default -> opened.dataset().samples();
    };
    ExtractionInput input = ExtractionInput.of(opened.dataset(), split, samples);
    LatentExtractor.checkOutput(directory, ExtractionConfig.of(source, input, options, directory), overwrite);
    try (TrainedTokenizer tokenizer = TrainedTokenizer.load(source.name(), chosen, nsfwjs)) {
      new LatentExtractor(tokenizer, source, System.out).extract(input, directory, options);
    }
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
