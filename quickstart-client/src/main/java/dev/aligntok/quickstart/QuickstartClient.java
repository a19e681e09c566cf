package dev.aligntok.quickstart;

import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.logging.LogLevel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line of a {@link Quickstart} run. */
@Command(name = "quickstart-client", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Sends sample images and generation requests to a running AlignTok Streams service through Kafka "
            + "(Avro values, schemas in the registry), reads the latents, generated images, statuses and dead letters "
            + "with read_committed until every input has ended, and writes latents.safetensors, generated.png, "
            + "reconstructions.png (originals vs the bundle's decoding of the returned latents) and summary.json."},
    footer = {"", "Exit codes: 0 every input has its output; 1 error (unreachable broker, bad bundle or prompt); "
        + "2 usage; 3 timeout (the missing inputs are named); 4 some inputs ended as dead letters or FAILED; "
        + "5 counts do not add up (an output twice, or inputs != outputs + dead letters)."})
public final class QuickstartClient implements Callable<Integer> {
  public static final int TIMEOUT = 3;
  public static final int FAILURES = 4;
  public static final int NOT_CONSERVED = 5;
  private static final int SHOWN_MISSING = 20;

  @Mixin
  StackOptions stack;

  @Option(names = "--bundle", paramLabel = "DIR", defaultValue = "models/emoji-default-bundle",
      description = "The bundle the service runs: default prompts come from its labels, its decoder draws the "
          + "reconstructions (default: ${DEFAULT-VALUE})")
  Path bundle;

  @Option(names = "--images", paramLabel = "DIR",
      description = "Folder of PNG files to send, the first --image-count by name (default: the emoji of "
          + SampleImages.EMOJI_PACKAGE + " in the data cache, img/google/64)")
  Path images;

  @Option(names = {"-n", "--image-count"}, paramLabel = "N", defaultValue = "16",
      description = "Images to send; 0 for none (default: ${DEFAULT-VALUE})")
  int imageCount;

  @Option(names = {"-p", "--prompt"}, paramLabel = "CLASS",
      description = "A class prompt (repeatable); default: a few emoji subcategories the bundle knows, such as "
          + "family and country-flag")
  List<String> prompts = new ArrayList<>();

  @Option(names = "--count", paramLabel = "N", defaultValue = "4",
      description = "Images per prompt (default: ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--steps", paramLabel = "N", description = "Sampler steps (default: the bundle's)")
  Integer steps;

  @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "out",
      description = "Where the results go (default: ./${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180",
      description = "How long to wait for every input to end (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = "--topic-prefix", paramLabel = "PREFIX",
      description = "Topics PREFIX.images, .latents, .prompts, .generated, .status, .dlq, .cancellations "
          + "(default: the service's default names, aligntok.*)")
  String topicPrefix;

  private final PrintStream console;

  QuickstartClient(PrintStream console) {
    this.console = console;
  }

  public static void main(String[] args) {
    // The Kafka clients log every config at INFO; the client's own lines are the progress to show.
    LogLevel.defaultTo("WARN");
    System.exit(commandLine(System.out).execute(args));
  }

  /** The command with its error handling, printing to {@code console}; {@link #main} executes it. */
  public static CommandLine commandLine(PrintStream console) {
    CommandLine command = new CommandLine(new QuickstartClient(console));
    // The quickstart script passes its own addresses and folders first; options given after them win.
    command.setOverwrittenOptionsAllowed(true);
    // An exception is one clear line on stderr (its message names the problem), not a stack trace.
    command.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("quickstart-client: " + e.getMessage());
      return 1;
    });
    return command;
  }

  @Override
  public Integer call() throws Exception {
    QuickstartSettings settings = new QuickstartSettings(stack.bootstrapServers(), stack.registryUrl(), topics(), bundle,
        images == null ? SampleImages.defaultFolder() : images, imageCount, prompts, count, steps, out,
        Duration.ofSeconds(timeoutSeconds));
    Quickstart.Result result = Quickstart.run(settings, console);
    report(result);
    return switch (result.outcome()) {
      case OK -> 0;
      case FAILURES -> FAILURES;
      case NOT_CONSERVED -> NOT_CONSERVED;
      case TIMEOUT -> TIMEOUT;
    };
  }

  private TopicNames topics() {
    if (topicPrefix == null) {
      return TopicNames.defaults();
    }
    return new TopicNames(topicPrefix + ".images", topicPrefix + ".latents", topicPrefix + ".prompts",
        topicPrefix + ".generated", topicPrefix + ".status", topicPrefix + ".dlq", topicPrefix + ".cancellations");
  }

  private void report(Quickstart.Result result) {
    RunSummary s = result.summary();
    RunSummary.Timings t = s.timingsMs();
    console.printf(Locale.ROOT, "Sent %d images and %d prompts; got %d latents, %d generated images, %d dead letters, "
            + "%d failed requests.%n", s.sent().images(), s.sent().prompts(), s.received().latents(),
        s.received().images(), s.received().deadLetters(), s.received().failedRequests());
    console.printf(Locale.ROOT, "Inputs %d = outputs %d + dead letters %d: %s. End to end: tokenize p50 %s ms, "
            + "generate p50 %s ms, wall %.0f ms.%n", s.conservation().inputs(), s.conservation().outputs(),
        s.conservation().deadLetters(), s.conservation().holds() ? "holds" : "DOES NOT HOLD",
        ms(t.tokenize().p50()), ms(t.generate().p50()), t.wall());
    s.failures().forEach(f -> console.printf("  failed: %s (%s): %s%n", f.id(), f.stage(), f.error()));
    s.notes().forEach(note -> console.println("  note: " + note));
    Path dir = result.outDir().toAbsolutePath().normalize();
    s.files().values().forEach(file -> console.println("  " + dir.resolve(file)));
    if (result.outcome() == Quickstart.Outcome.TIMEOUT) {
      console.printf("Timed out: %d of %d inputs have not ended:%n", s.missing().size(), s.conservation().inputs());
      s.missing().stream().limit(SHOWN_MISSING).forEach(m -> console.println("  missing: " + m));
      if (s.missing().size() > SHOWN_MISSING) {
        console.printf("  ... and %d more (all in summary.json)%n", s.missing().size() - SHOWN_MISSING);
      }
    }
  }

  private static String ms(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.0f", value);
  }
}
