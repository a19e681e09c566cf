package dev.aligntok.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --frechet-bootstrap N} of {@code eval tokenizer} and {@code eval generation}: one home for its check. */
final class FrechetBootstrapOption {
  @Option(names = "--frechet-bootstrap", paramLabel = "N", defaultValue = "0",
      description = "Bootstrap resamples for a 95 %% interval of the Fréchet distance (eval tokenizer: resampling "
          + "held-out images with their reconstructions; eval generation: the run without CFG, to the held-out images "
          + "and to their reconstructions). 0: none; about 4 s per resample per distance at 768 features "
          + "(default: ${DEFAULT-VALUE}).")
  int resamples;

  /** The resamples, or an argument error (exit 2) naming the option when N is 1 or negative. */
  int resamples(CommandLine commandLine) {
    if (resamples != 0 && resamples < 2) {
      throw new CommandLine.ParameterException(commandLine,
          "--frechet-bootstrap must be 0 (none) or >= 2, got " + resamples);
    }
    return resamples;
  }
}
