package dev.aligntok.trainer.diffusion;

import dev.aligntok.inference.io.Directories;
import dev.aligntok.trainer.latents.LatentSet;
import java.nio.file.Path;

/**
 * Where a DiT's training latents came from, kept in its checkpoints so sampling can find the
 * tokenizer that decodes them. Paths are relative to the DiT's run directory (older checkpoints
 * hold absolute ones; {@link #tokenizerCheckpointFrom} reads both).
 *
 * @param latents             the extraction directory
 * @param tokenizerCheckpoint the tokenizer checkpoint that produced them (decodes samples)
 * @param dataset             dataset and split
 */
public record LatentProvenance(String latents, String tokenizerCheckpoint, String dataset) {

  /** The provenance of {@code set} as the DiT run in {@code runDirectory} records it. */
  public static LatentProvenance of(LatentSet set, Path runDirectory) {
    var extraction = set.index().extraction();
    Path tokenizer = extraction.tokenizer().checkpointFrom(set.directory());
    return new LatentProvenance(Directories.relativePath(runDirectory, set.directory()),
        Directories.relativePath(runDirectory, tokenizer), extraction.dataset() + " " + extraction.split());
  }

  /** The tokenizer checkpoint, found from the DiT's run directory. */
  public Path tokenizerCheckpointFrom(Path runDirectory) {
    return Directories.resolveRecorded(runDirectory, tokenizerCheckpoint);
  }
}
