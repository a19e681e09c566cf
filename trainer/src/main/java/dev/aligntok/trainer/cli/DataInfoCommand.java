package dev.aligntok.trainer.cli;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.data.Bytes;
import dev.aligntok.trainer.data.CacheInventory;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSource;
import dev.aligntok.trainer.data.DataSources;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            + " would be skipped are counted and listed."})
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
    out.flush();
    return 0;
  }
}
