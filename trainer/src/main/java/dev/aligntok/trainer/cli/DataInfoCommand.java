package dev.aligntok.trainer.cli;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.captions.CaptionOptions;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.captions.EmojiCaptions;
import dev.aligntok.trainer.captions.EvalPrompt;
import dev.aligntok.trainer.captions.ImageCaptions;
import dev.aligntok.trainer.data.Bytes;
import dev.aligntok.trainer.data.CacheInventory;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataException;
import dev.aligntok.trainer.data.DataSource;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.EmojiVendor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok data info}: what the cache holds. */
@Command(name = "info",
    mixinStandardHelpOptions = true,
    description = {
        "Show what is in the cache: each source's state (verified = fetched with a matching sha256;"
            + " unverified = files present without our marker; missing), its size on disk, and counts read"
            + " from headers and metadata (images per split, emoji per category, model folders).",
        "With --check-images every dataset is read in full (each emoji PNG decoded) and the images that"
            + " would be skipped are counted and listed.",
        "With emoji-google and emojilib cached, the training captions and held-out prompts are counted"
            + " and a few shown."})
final class DataInfoCommand implements Callable<Integer> {
  @Mixin
  CacheOption cacheOption;

  @Option(names = "--check-images", description = "Read every dataset in full and report skipped images (slower).")
  boolean checkImages;

  @Option(names = "--report-dir", paramLabel = "DIR",
      description = "With --check-images: write <dataset>-skipped.json reports here.")
  Path reportDir;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DataCache cache = cacheOption.resolve();
    CacheInventory inventory = new CacheInventory(cache, new ImageDecoder());
    out.printf("cache: %s (%s)%n", cache.root(), Bytes.human(DataCache.sizeOf(cache.root())));
    int missing = 0;
    for (DataSource source : DataSources.ALL) {
      CacheInventory.Entry entry = inventory.describe(source, checkImages, reportDir);
      out.printf("%-14s %-10s %9s  %s%n", source.key(), entry.state(), Bytes.human(entry.bytesOnDisk()),
          entry.state() == CacheInventory.State.MISSING ? "run: aligntok data fetch --only " + source.key() : entry.dir());
      entry.details().forEach(line -> out.printf("%16s%s%n", "", line));
      if (entry.state() == CacheInventory.State.MISSING) {
        missing++;
      }
    }
    if (missing > 0) {
      out.printf("%d of %d sources missing; `aligntok data fetch` gets them.%n", missing, DataSources.ALL.size());
    }
    describeCaptions(cache, out);
    out.flush();
    return 0;
  }

  /** Caption counts and a few examples, once the Google emoji and emojilib are both cached. */
  private static void describeCaptions(DataCache cache, PrintWriter out) {
    if (!cache.isPresent(DataSources.EMOJI_GOOGLE) || !cache.isPresent(DataSources.EMOJILIB)) {
      out.println("captions: need emoji-google and emojilib (aligntok data fetch --only emoji-google,emojilib)");
      return;
    }
    CaptionSet captions;
    try {
      captions = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    } catch (DataException e) {
      out.println("captions: cannot build: " + e.getMessage());
      return;
    }
    out.printf("captions (emoji-google + emojilib): %s%n", captions.summary());
    List<ImageCaptions> images = captions.images();
    for (int i = 0; i < Math.min(3, images.size()); i++) {
      ImageCaptions image = images.get(i * images.size() / 3);
      List<String> texts = image.captions().stream().map(captions::caption).toList();
      out.printf("%16s%s (%s): %s%s%n", "", image.imageId(), image.className(),
          String.join(" | ", texts.subList(0, Math.min(5, texts.size()))), texts.size() > 5 ? " | …" : "");
    }
    for (EvalPrompt prompt : captions.evalSubset(3, 0)) {
      out.printf("%16sheld out (%s): \"%s\" -> %s%n", "", prompt.kind(), prompt.text(), prompt.className());
    }
  }
}
