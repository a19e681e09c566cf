package dev.aligntok.trainer.latents;

import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.trainer.tokenizer.TokenizerTrainingState;
import dev.aligntok.trainer.train.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which tokenizer produced a set of latents, recorded in its index: two extractions into one
 * directory must name the same one.
 *
 * @param name e.g. {@code aligntok-stage3}
 * @param checkpoint the checkpoint directory ("" when not from a checkpoint): absolute as
 *                   {@link #ofCheckpoint} describes it, relative to the latent directory as an
 *                   extraction records it ({@link #recordedIn}; find it with {@link #checkpointFrom})
 * @param stage {@code stage1}, {@code stage2}, {@code stage3}, {@code baseline} (or "" when unknown)
 * @param weightsSha256 SHA-256 over the weight files the tokenizer was loaded from ("" when unknown)
 * @param imageSize side of the square images it encodes (pixels)
 */
public record TokenizerSource(String name, String checkpoint, String stage, String weightsSha256, int imageSize) {
  public TokenizerSource {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("tokenizer name must not be blank");
    }
    if (imageSize <= 0) {
      throw new IllegalArgumentException("tokenizer image size must be > 0, got " + imageSize);
    }
    checkpoint = checkpoint == null ? "" : checkpoint;
    stage = stage == null ? "" : stage;
    weightsSha256 = weightsSha256 == null ? "" : weightsSha256;
  }

  /**
   * Describes a training checkpoint ({@code .../checkpoints/step-N/}) from its {@code state.json}
   * and weight files, without loading it: the stage, the image size, and a hash of the model and
   * EMA weights (what {@link dev.aligntok.trainer.tokenizer.TrainedTokenizer#load} reads).
   */
  public static TokenizerSource ofCheckpoint(Path checkpoint) {
    if (!Files.isRegularFile(checkpoint.resolve("state.json"))) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " has no state.json: expected a directory like "
          + "RUN/stage3/checkpoints/step-00000500");
    }
    TokenizerTrainingState state = Checkpoints.readState(checkpoint, TokenizerTrainingState.class);
    StringBuilder digests = new StringBuilder();
    for (String group : new String[] {Checkpoints.MODEL, Checkpoints.EMA}) {
      Path file = Checkpoints.groupFile(checkpoint, group);
      if (Files.isRegularFile(file)) {
        digests.append(group).append(' ').append(Sha256.of(file)).append('\n');
      }
    }
    String stage = state.stage().directoryName();
    return new TokenizerSource("aligntok-" + stage, checkpoint.toAbsolutePath().normalize().toString(), stage,
        Sha256.of(digests.toString()), state.tokenizer().imageSize());
  }

  /** This source as a file in {@code directory} records it: the checkpoint relative to that directory. */
  public TokenizerSource recordedIn(Path directory) {
    return checkpoint.isEmpty() ? this
        : new TokenizerSource(name, Directories.relativePath(directory, Path.of(checkpoint)), stage, weightsSha256, imageSize);
  }

  /** The checkpoint directory recorded by a file in {@code directory} (old absolute records work too). */
  public Path checkpointFrom(Path directory) {
    return Directories.resolveRecorded(directory, checkpoint);
  }
}
