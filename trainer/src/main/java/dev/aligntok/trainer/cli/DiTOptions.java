package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which DiT to sample and which tokenizer decodes it, shared by {@code sample}, {@code eval generation},
 * {@code export} and the serving benchmark (benchmarks module).
 */
public final class DiTOptions {
  @Option(names = "--dit", paramLabel = "DIR", defaultValue = "runs/emoji-default/dit",
      description = "DiT run directory (its latest checkpoint) or one checkpoint directory (default: ${DEFAULT-VALUE}).")
  Path dit;

  @Option(names = "--tokenizer", paramLabel = "CHECKPOINT",
      description = "Tokenizer checkpoint that decodes the samples (default: the one whose latents the DiT trained on).")
  Path tokenizer;

  /** The DiT run or checkpoint directory (--dit). */
  public Path dit() {
    return dit;
  }

  public TrainedTokenizer loadTokenizer(TrainedDiT model, Path nsfwjs) {
    return TrainedTokenizer.load("tokenizer", tokenizerCheckpoint(model), nsfwjs);
  }

  /** --tokenizer, else the checkpoint recorded in the DiT's latent provenance; it must exist. */
  Path tokenizerCheckpoint(TrainedDiT model) {
    Path checkpoint = tokenizer != null ? tokenizer : model.tokenizerCheckpoint();
    if (!Files.isDirectory(checkpoint)) {
      throw new IllegalArgumentException("tokenizer checkpoint " + checkpoint + " does not exist; pass --tokenizer");
    }
    return checkpoint;
  }
}
