package dev.aligntok.trainer.cli;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.ImageDataset;
import dev.aligntok.trainer.data.Splits;
import picocli.CommandLine.Option;

/**
 * {@code --dataset}, {@code --validation-fraction}, {@code --seed} and {@code --split-seed}, shared by
 * training and evaluation so both always see the same held-out split.
 */
final class DatasetSplitOptions {
  /** A dataset and its seeded train / held-out split. */
  record Opened(ImageDataset dataset, Splits.Split split) {}

  @Option(names = "--dataset", defaultValue = "emoji-google",
      description = "Dataset name (emoji-google, emoji-twitter, mnist-train, fashion-mnist-train) or a folder "
          + "with one sub-folder per class (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--validation-fraction", defaultValue = "0.1",
      description = "Held-out share of the dataset, never trained on (default: ${DEFAULT-VALUE}).")
  double validationFraction;

  @Option(names = "--seed", defaultValue = "7",
      description = "Split, data order and initialisation seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--split-seed", paramLabel = "SEED",
      description = "Seed of the train / held-out split alone (default: --seed). Runs of one recipe with several "
          + "--seed values keep one held-out set when they pass the same --split-seed, to training and evaluation.")
  Long splitSeed;

  Opened open(DataCache cache, LabelLevel emojiLabels) {
    ImageDataset data = DatasetCatalog.open(dataset, cache, emojiLabels, new ImageDecoder());
    return new Opened(data, Splits.split(data.samples(), validationFraction, splitSeed != null ? splitSeed : seed));
  }
}
