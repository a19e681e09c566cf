package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.DataCache;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cache DIR} option shared by every command that reads or writes the cache. */
public final class CacheOption {
  @Option(names = "--cache", paramLabel = "DIR",
      description = "Cache directory (default: $" + DataCache.ENV + " if set, else ~/.cache/aligntok).")
  Path cache;

  public DataCache resolve() {
    return DataCache.resolve(cache);
  }
}
