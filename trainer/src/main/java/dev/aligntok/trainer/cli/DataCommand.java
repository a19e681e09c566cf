package dev.aligntok.trainer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code aligntok data}: the group of data commands; prints its usage when called alone. */
@Command(name = "data",
    mixinStandardHelpOptions = true,
    description = "Fetch datasets and pretrained weights into the local cache, and inspect them.",
    subcommands = {
        DataFetchCommand.class,
        DataInfoCommand.class,
        DataPreviewCommand.class,
    })
final class DataCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
