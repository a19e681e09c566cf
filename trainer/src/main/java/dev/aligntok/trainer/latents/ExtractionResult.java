package dev.aligntok.trainer.latents;

import java.nio.file.Path;
import java.util.List;

/**
 * What an extraction did.
 *
 * @param extracted latents stored (images that could be read)
 * @param skipped images that could not be read, listed in {@code skipped-images.json}
 * @param written shard files encoded in this run
 * @param reused shard files a previous run had completed, verified and kept
 * @param seconds wall time of this run
 * @param imagesPerSecond images encoded per second in this run (reused shards not counted)
 */
public record ExtractionResult(Path directory, int inputCount, int extracted, int skipped, int channels, int height,
    int width, List<String> written, List<String> reused, double seconds, double imagesPerSecond) {
  public ExtractionResult {
    written = List.copyOf(written);
    reused = List.copyOf(reused);
  }

  public int shards() {
    return written.size() + reused.size();
  }
}
