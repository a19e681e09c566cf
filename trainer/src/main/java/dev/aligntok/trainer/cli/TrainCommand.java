package dev.aligntok.trainer.cli;

import picocli.CommandLine.Command;

/** {@code aligntok train ...}: groups the training commands. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train models: the AlignTok tokenizer (three stages and the vanilla baseline) and the diffusion transformer.",
    subcommands = {TrainTokenizerCommand.class, TrainDitCommand.class})
final class TrainCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
