package dev.aligntok.benchmarks;

import java.util.List;
import picocli.CommandLine;

/**
 * The command line every benchmark main runs under (scripts/bench starts them): a failure is printed
 * as one line, "NAME: message", with exit status 1; reports record the command as typed.
 */
public final class BenchCommandLine {
  public static final int FAILED = 1;
  /** Set by scripts/bench to the command as typed, for the reports. */
  public static final String COMMAND_PROPERTY = "aligntok.bench.command";

  private BenchCommandLine() {}

  /** {@code command} (a picocli {@code @Command}) with one-line error messages prefixed by {@code name}. */
  public static CommandLine of(Object command, String name) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println(name + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
      return FAILED;
    });
    return commandLine;
  }

  /** The command as typed (from {@value #COMMAND_PROPERTY}), else the java command that ran {@code main}. */
  public static String typedCommand(Class<?> main, List<String> args) {
    String typed = System.getProperty(COMMAND_PROPERTY);
    return typed != null ? typed : "java " + main.getName() + " " + String.join(" ", args);
  }
}
