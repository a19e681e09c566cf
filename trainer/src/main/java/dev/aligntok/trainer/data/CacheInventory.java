package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.data.IdxDatasets.Part;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the cache holds, per source: state, size on disk, and counts read from headers and metadata
 * (cheap). With {@code checkImages}, every dataset is read in full: each emoji PNG is decoded and
 * the skipped-images reports are written out.
 */
public final class CacheInventory {
  /** Whether a source is usable. */
  public enum State {
    /** Fetched by {@code data fetch}, archive checksum verified. */
    VERIFIED,
    /** The files are there (extracted by hand?) but no verified marker. Readers still use them. */
    UNVERIFIED,
    /** Not in the cache. */
    MISSING
  }

  /** One source's line in {@code data info}. */
  public record Entry(DataSource source, State state, Path dir, long bytesOnDisk, List<String> details) {}

  private final DataCache cache;
  private final ImageDecoder decoder;

  public CacheInventory(DataCache cache, ImageDecoder decoder) {
    this.cache = cache;
    this.decoder = decoder;
  }

  /**
   * @param reportDir where full checks write {@code <dataset>-skipped.json}; null to write nothing
   */
  public Entry describe(DataSource source, boolean checkImages, Path reportDir) {
    Path dir = cache.sourceDir(source);
    if (!cache.isPresent(source)) {
      return new Entry(source, State.MISSING, dir, DataCache.sizeOf(dir), List.of());
    }
    State state = cache.isVerified(source) ? State.VERIFIED : State.UNVERIFIED;
    List<String> details = new ArrayList<>();
    try {
      if (source.equals(DataSources.MNIST) || source.equals(DataSources.FASHION_MNIST)) {
        describeIdx(source, checkImages, details);
      } else if (source.equals(DataSources.EMOJI_GOOGLE)) {
        describeEmoji(EmojiVendor.GOOGLE, checkImages, reportDir, details);
      } else if (source.equals(DataSources.EMOJI_TWITTER)) {
        describeEmoji(EmojiVendor.TWITTER, checkImages, reportDir, details);
      } else if (source.equals(DataSources.NSFWJS)) {
        describeModels(details);
      }
    } catch (DataException | IOException e) {
      details.add("cannot read: " + e.getMessage());
    }
    return new Entry(source, state, dir, DataCache.sizeOf(dir), details);
  }

  private void describeIdx(DataSource source, boolean checkImages, List<String> details) {
    Path dataDir = cache.dataDir(source);
    for (Part part : Part.values()) {
      int[] images = IdxReader.readHeader(IdxDatasets.imagesFile(dataDir, part)).dims();
      int[] labels = IdxReader.readHeader(IdxDatasets.labelsFile(dataDir, part)).dims();
      String line = String.format(Locale.ROOT, "%s: %d images %dx%d, %d labels", part.name().toLowerCase(Locale.ROOT),
          images[0], images[1], images.length > 2 ? images[2] : 0, labels[0]);
      if (checkImages) {
        ImageDataset dataset = source.equals(DataSources.MNIST)
            ? IdxDatasets.mnist(dataDir, part) : IdxDatasets.fashionMnist(dataDir, part);
        line += "; read in full: " + dataset.size() + " samples, per label " + dataset.countsByLabel();
      }
      details.add(line);
    }
  }

  private void describeEmoji(EmojiVendor vendor, boolean checkImages, Path reportDir, List<String> details)
      throws IOException {
    DataSource source = vendor == EmojiVendor.GOOGLE ? DataSources.EMOJI_GOOGLE : DataSources.EMOJI_TWITTER;
    Path packageDir = cache.dataDir(source);
    List<EmojiDataset.Entry> entries = EmojiDataset.entries(packageDir, EmojiOptions.defaults(vendor), "emoji-" + vendor.key());
    long bases = entries.stream().filter(entry -> entry.id().equals(entry.groupId())).count();
    Set<String> categories = new TreeSet<>();
    Set<String> subcategories = new TreeSet<>();
    entries.forEach(entry -> {
      if (entry.category() != null) {
        categories.add(entry.category());
        subcategories.add(entry.subcategory());
      }
    });
    long pngs;
    try (Stream<Path> files = Files.list(EmojiDataset.imageDir(packageDir, vendor))) {
      pngs = files.filter(path -> path.toString().endsWith(".png")).count();
    }
    details.add(String.format(Locale.ROOT, "%d emoji + %d skin-tone variants = %d images listed; %d categories, "
        + "%d subcategories; %d PNG files in img/%s/64", bases, entries.size() - bases, entries.size(),
        categories.size(), subcategories.size(), pngs, vendor.key()));
    if (checkImages) {
      ImageDataset dataset = EmojiDataset.read(packageDir, EmojiOptions.defaults(vendor), decoder);
      details.add("decoded: " + dataset.skipped().summary());
      if (reportDir != null) {
        Path report = reportDir.resolve(dataset.name() + "-skipped.json");
        dataset.skipped().writeJson(report);
        details.add("skipped-images report: " + report);
      }
    }
  }

  private void describeModels(List<String> details) throws IOException {
    Path models = cache.dataDir(DataSources.NSFWJS).resolve("dist").resolve("models");
    try (Stream<Path> dirs = Files.list(models)) {
      for (Path model : dirs.filter(Files::isDirectory).sorted().toList()) {
        long files;
        try (Stream<Path> listing = Files.list(model)) {
          files = listing.count();
        }
        details.add(String.format(Locale.ROOT, "model %s: %d files, %s", model.getFileName(), files,
            Bytes.human(DataCache.sizeOf(model))));
      }
    }
  }
}
