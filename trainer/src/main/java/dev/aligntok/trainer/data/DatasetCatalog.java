package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.IdxDatasets.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a dataset by the name commands use: a cached dataset ({@link #NAMES}) or a path to an image
 * folder. A cached dataset that is missing produces an error naming the fetch command to run.
 */
public final class DatasetCatalog {
  /** Names of the datasets that come from the cache. */
  public static final List<String> NAMES = List.of("mnist-train", "mnist-test", "fashion-mnist-train",
      "fashion-mnist-test", "emoji-google", "emoji-twitter");

  private DatasetCatalog() {}

  /**
   * @param nameOrFolder one of {@link #NAMES}, or a directory with one sub-folder per class
   * @param emojiLabels label level for the emoji datasets (ignored by the others)
   */
  public static ImageDataset open(String nameOrFolder, DataCache cache, LabelLevel emojiLabels, ImageDecoder decoder) {
    return switch (nameOrFolder) {
      case "mnist-train" -> IdxDatasets.mnist(require(cache, DataSources.MNIST), Part.TRAIN);
      case "mnist-test" -> IdxDatasets.mnist(require(cache, DataSources.MNIST), Part.TEST);
      case "fashion-mnist-train" -> IdxDatasets.fashionMnist(require(cache, DataSources.FASHION_MNIST), Part.TRAIN);
      case "fashion-mnist-test" -> IdxDatasets.fashionMnist(require(cache, DataSources.FASHION_MNIST), Part.TEST);
      case "emoji-google" -> EmojiDataset.read(require(cache, DataSources.EMOJI_GOOGLE),
          new EmojiOptions(EmojiVendor.GOOGLE, emojiLabels, true), decoder);
      case "emoji-twitter" -> EmojiDataset.read(require(cache, DataSources.EMOJI_TWITTER),
          new EmojiOptions(EmojiVendor.TWITTER, emojiLabels, true), decoder);
      default -> {
        Path folder = Path.of(nameOrFolder);
        if (!Files.isDirectory(folder)) {
          throw new DataException("unknown dataset '" + nameOrFolder + "': not one of " + NAMES
              + " and not a directory of class sub-folders");
        }
        yield ImageFolderDataset.read(folder, decoder);
      }
    };
  }

  /** The data directory of a cached source, or an error that says how to fetch it. */
  public static Path require(DataCache cache, DataSource source) {
    if (!cache.isPresent(source)) {
      throw new DataException(source.key() + " is not in the cache at " + cache.root() + " (expected "
          + cache.sourceDir(source) + "). Fetch it with: aligntok data fetch --only " + source.key()
          + " --cache " + cache.root());
    }
    return cache.dataDir(source);
  }
}
