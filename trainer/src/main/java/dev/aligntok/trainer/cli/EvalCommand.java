package dev.aligntok.trainer.cli;

import picocli.CommandLine.Command;

/** {@code aligntok eval ...}: groups the evaluation commands. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate trained models.",
    subcommands = {EvalTokenizerCommand.class, EvalGenerationCommand.class, EvalTextPromptsCommand.class,
        EvalStudyCommand.class})
final class EvalCommand implements Runnable {
  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
