package dev.aligntok.benchmarks.training;

import dev.aligntok.benchmarks.BenchCommandLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The training profile's summary ({@code scripts/bench profile}): where the time went, from a Java Flight Recorder file. */
@Command(name = "profile", mixinStandardHelpOptions = true,
    description = {"Summarise a Java Flight Recorder file as a Markdown table: for each method matching --include, "
        + "the share of the chosen threads' samples (Java and native) with that method on the stack.",
        "scripts/bench profile tokenizer|dit records a short training run and summarises it; or record with: "
            + "ALIGNTOK_JAVA_OPTS=\"-XX:StartFlightRecording=filename=run.jfr,settings=profile "
            + "-XX:FlightRecorderOptions=stackdepth=256\" scripts/aligntok train dit --steps 40 --run /tmp/p"})
public final class ProfileSummary implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The .jfr recording.")
  Path jfr;

  @Option(names = "--thread", paramLabel = "REGEX", defaultValue = "^main$",
      description = "Threads to count, by Java name (default: ${DEFAULT-VALUE}).")
  String thread;

  @Option(names = "--include", paramLabel = "REGEX",
      defaultValue = "^dev\\.aligntok\\.|^ai\\.djl\\.pytorch\\.jni\\.PyTorchLibrary\\.|^ai\\.onnxruntime\\.OrtSession\\.run",
      description = "Methods to list (default: the project's own, libtorch's JNI entry points and ONNX Runtime runs).")
  String include;

  @Option(names = "--top", paramLabel = "N", defaultValue = "30", description = "Rows (default: ${DEFAULT-VALUE}).")
  int top;

  public static void main(String[] args) {
    System.exit(BenchCommandLine.of(new ProfileSummary(), "profile").execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(jfr)) {
      throw new IllegalArgumentException("no recording at " + jfr);
    }
    HotFrames.Profile profile = HotFrames.read(jfr, Pattern.compile(thread));
    if (profile.samples() == 0) {
      throw new IllegalArgumentException(jfr + " has no samples of threads matching '" + thread + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%d samples of threads matching `%s` in %s%n%n", profile.samples(), thread, jfr);
    out.println("| method (inclusive) | samples | share |");
    out.println("|---|---:|---:|");
    for (Map.Entry<String, Long> row : profile.top(top, Pattern.compile(include)).entrySet()) {
      out.printf(Locale.ROOT, "| `%s` | %d | %.1f %% |%n", row.getKey(), row.getValue(),
          100.0 * row.getValue() / profile.samples());
    }
    out.flush();
    return 0;
  }
}
