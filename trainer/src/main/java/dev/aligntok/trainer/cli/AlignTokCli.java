package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.DataException;
import dev.aligntok.trainer.data.FetchException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IExecutionExceptionHandler;

/**
 * The {@code aligntok} command line. To add a command, write a picocli {@code @Command} class and
 * list it in {@code subcommands} below — that one line is the whole registration.
 */
@Command(name = "aligntok",
    mixinStandardHelpOptions = true,
    versionProvider = AlignTokCli.Version.class,
    description = "Train AlignTok image tokenizers and latent diffusion models, and prepare their data.",
    subcommands = {
        HelpCommand.class,
        DataCommand.class,
        TrainCommand.class,
        EvalCommand.class,
        FeaturesCommand.class,
        ExtractLatentsCommand.class,
        SampleCommand.class,
        ExportCommand.class,
    })
public final class AlignTokCli implements Runnable {
  /** Exit status when a command fails for a reason the message explains (missing data, failed fetch). */
  public static final int EXIT_FAILURE = 1;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, writing to stdout/stderr. */
  public static CommandLine commandLine() {
    return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  /** The configured command line, writing to the given streams (tests capture them). */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new AlignTokCli());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler(knownFailuresAsMessages());
    return commandLine;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Errors we explain ourselves are printed as one message, not a stack trace. */
  private static IExecutionExceptionHandler knownFailuresAsMessages() {
    return (exception, commandLine, parseResult) -> {
      if (exception instanceof DataException || exception instanceof FetchException
          || exception instanceof IllegalArgumentException) {
        commandLine.getErr().println("error: " + exception.getMessage());
        commandLine.getErr().flush();
        return EXIT_FAILURE;
      }
      throw exception;
    };
  }

  /** The version from the jar manifest, or a marker when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AlignTokCli.class.getPackage().getImplementationVersion();
      return new String[] {"aligntok " + (version == null ? "(development build)" : version)};
    }
  }
}
