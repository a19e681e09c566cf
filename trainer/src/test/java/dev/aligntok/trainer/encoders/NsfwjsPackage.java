package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aligntok.trainer.data.CommandRunner;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataFetcher;
import dev.aligntok.trainer.data.DataSources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the extracted nsfwjs@4.4.0 npm package for tests that need the real MobileNetV2 weights:
 * system property {@value #PROPERTY}, else {@code $ALIGNTOK_CACHE/}{@value #CACHE_PATH} (cache
 * default {@code ~/.cache/aligntok}), where {@code data fetch} puts it. When it is absent the
 * fixture fetches it exactly as {@code data fetch --only nsfwjs} does (npm registry, 25 MB,
 * checksum verified), so the pretrained check runs on a fresh machine too. Only with
 * {@code -Daligntok.tests.noFetch=true} does a missing package skip the test instead.
 */
public final class NsfwjsPackage {
  static final String PROPERTY = "aligntok.nsfwjs.dir";
  static final String CACHE_PATH = "npm/nsfwjs@4.4.0/package";

  private NsfwjsPackage() {}

  public static Path locateOrSkip() {
    String explicit = System.getProperty(PROPERTY);
    if (explicit != null && !explicit.isBlank()) {
      Path dir = Path.of(explicit);
      if (!Files.isDirectory(dir)) {
        // Asked for explicitly: a wrong path is an error, not a reason to skip.
        throw new IllegalStateException("-D" + PROPERTY + "=" + explicit + " is not a directory");
      }
      return dir;
    }
    DataCache cache = DataCache.resolve(null);
    Path dir = cache.root().resolve(CACHE_PATH);
    if (!TfjsLayersModel.isModelDirectory(dir.resolve(MobileNetV2Encoder.NSFWJS_MODEL_DIR))
        && !Boolean.getBoolean("aligntok.tests.noFetch")) {
      DataFetcher.Outcome outcome = new DataFetcher(cache, CommandRunner.system(),
          new PrintWriter(System.out, true)).fetch(DataSources.NSFWJS);
      if (!Files.isDirectory(outcome.dir())) {
        throw new IllegalStateException("data fetch of nsfwjs@4.4.0 reported " + outcome.status() + " but " + dir + " is missing");
      }
    }
    assumeTrue(TfjsLayersModel.isModelDirectory(dir.resolve(MobileNetV2Encoder.NSFWJS_MODEL_DIR)),
        "nsfwjs@4.4.0 not found at " + dir + " (run `data fetch`, or: cd /tmp && npm pack nsfwjs@4.4.0 && "
            + "tar xzf nsfwjs-4.4.0.tgz, then -D" + PROPERTY + "=/tmp/package); skipping the pretrained MobileNetV2 check");
    return dir;
  }
}
