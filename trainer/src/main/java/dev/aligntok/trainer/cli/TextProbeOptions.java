package dev.aligntok.trainer.cli;

import picocli.CommandLine.Option;

/**
 * Which text → class probes {@code eval generation} and {@code eval text-prompts} fit on the
 * training captions' embeddings ({@code --[no-]text-probes}, {@code --[no-]linear-text-probe}).
 */
final class TextProbeOptions {
  @Option(names = "--text-probes", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Text DiTs: also fit text → class probes (linear and MLP) on the training captions' embeddings and "
          + "score them on the held-out prompts: how much of the class the frozen embedding carries (about 20 minutes "
          + "on one core for the 12k caption rows of --caption-templates one; default: ${DEFAULT-VALUE}).")
  boolean enabled;

  @Option(names = "--linear-text-probe", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "With --text-probes, also fit the linear probe (L-BFGS over an L2 grid: most of their time). "
          + "--no-linear-text-probe keeps the MLP alone, for caption sets such as --caption-templates every, whose "
          + "118k rows would take the linear probe hours (default: ${DEFAULT-VALUE}).")
  boolean linear;
}
