package dev.aligntok.quickstart;

import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.console.ProgressLine;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.output.EventSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One quickstart run against a running service: send sample images and prompts, wait until each
 * input has ended (or the timeout), then write latents.safetensors, generated.png,
 * reconstructions.png and summary.json. The command line is {@link QuickstartClient}; tests call
 * {@link #run} directly.
 */
public final class Quickstart {
  public static final String LATENTS_FILE = "latents.safetensors";
  public static final String GENERATED_FILE = "generated.png";
  public static final String RECONSTRUCTIONS_FILE = "reconstructions.png";
  public static final String SUMMARY_FILE = "summary.json";
  /** The client only decodes a few latents: one CPU thread keeps the cores for the service. */
  private static final RuntimeOptions CPU =
      RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1);
  private static final Duration POLL = Duration.ofMillis(200);

  /** How a run ended, worst first wins. */
  public enum Outcome {
    /** Every input has its output, and inputs = outputs + dead letters. */
    OK,
    /** Every input ended, some as a dead letter or a FAILED status. */
    FAILURES,
    /** An input ended twice, or the counts do not add up. */
    NOT_CONSERVED,
    /** Some inputs had not ended when the time was up. */
    TIMEOUT
  }

  public record Result(Outcome outcome, RunSummary summary, Path outDir) {}

  private Quickstart() {}

  /**
   * @throws IllegalArgumentException for unusable settings (unknown prompt, missing images, bad bundle)
   * @throws IllegalStateException    when Kafka or a topic cannot be reached
   */
  public static Result run(QuickstartSettings settings, PrintStream out) throws IOException {
    try (ModelBundle bundle = ModelBundle.load(settings.bundleDir(), CPU, ImageLimits.DEFAULT);
         SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(settings.registryUrl()))) {
      List<String> prompts = prompts(settings, bundle);
      List<SampleImages.Sample> samples = settings.imageCount() == 0 ? List.of()
          : SampleImages.firstPngs(settings.imageFolder(), settings.imageCount());
      RunInputs inputs = RunInputs.create(RunInputs.newRunId(Clock.systemUTC()), samples, prompts,
          settings.imagesPerPrompt(), settings.steps(), Instant.now());
      if (inputs.size() == 0) {
        throw new IllegalArgumentException("nothing to send: no images and no prompts");
      }
      out.printf(Locale.ROOT, "Run %s: %d images from %s, %d prompts x %d images %s, bundle %s%n", inputs.runId(),
          samples.size(), settings.imageFolder(), prompts.size(), settings.imagesPerPrompt(), prompts, bundle.id());

      EventSerdes serdes = new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
      RunTracker tracker = new RunTracker(inputs);
      double wallMs;
      int unreadable;
      try (OutputReader reader = OutputReader.openAtEnd(settings.bootstrapServers(), settings.topics(), serdes)) {
        long start = System.nanoTime();
        InputSender.sendAll(settings.bootstrapServers(), settings.topics(), serdes, tracker);
        out.printf(Locale.ROOT, "Sent %d inputs to %s and %s; waiting up to %ds for the outputs (read_committed)%n",
            inputs.size(), settings.topics().images(), settings.topics().prompts(), settings.timeout().toSeconds());
        ProgressLine progress = ProgressLine.states(out, start);
        long deadline = start + settings.timeout().toNanos();
        while (!tracker.allEnded() && System.nanoTime() < deadline) {
          reader.poll(POLL, tracker);
          progress.state(describe(tracker), false);
        }
        progress.state(describe(tracker), true);
        wallMs = (System.nanoTime() - start) / 1e6;
        unreadable = reader.unreadable();
      }
      RunSummary summary = writeResults(settings.outDir(), tracker, bundle, wallMs, unreadable);
      return new Result(outcome(summary), summary, settings.outDir());
    }
  }

  private static String describe(RunTracker tracker) {
    RunInputs inputs = tracker.inputs();
    return String.format(Locale.ROOT, "latents %d/%d, generated images %d/%d (requests done %d/%d), dead letters %d, "
            + "failed %d — %d/%d inputs ended",
        tracker.latents().size(), inputs.images().size(), tracker.imageCount(), inputs.requestedImages(),
        tracker.completedRequests().size(), inputs.requests().size(), tracker.deadLetters().size(),
        tracker.failedRequests().size(), tracker.endedCount(), inputs.size());
  }

  private static List<String> prompts(QuickstartSettings settings, ModelBundle bundle) {
    if (!bundle.canGenerate()) {
      if (!settings.prompts().isEmpty()) {
        throw new IllegalArgumentException("bundle " + settings.bundleDir() + " is tokenizer-only: it cannot generate "
            + settings.prompts());
      }
      return List.of();
    }
    if (bundle.textConditioned()) {
      // Any text is a prompt; its length is the service's rule (a 400 names it).
      return settings.prompts().isEmpty() ? DefaultPrompts.forFreeText() : settings.prompts();
    }
    var vocabulary = bundle.generation().vocabulary();
    if (settings.prompts().isEmpty()) {
      return DefaultPrompts.forVocabulary(vocabulary);
    }
    // Fail here, with the closest labels, rather than as a dead letter after the round trip.
    settings.prompts().forEach(vocabulary::id);
    return settings.prompts();
  }

  private static RunSummary writeResults(Path outDir, RunTracker tracker, ModelBundle bundle, double wallMs,
                                         int unreadable) throws IOException {
    Files.createDirectories(outDir);
    for (String stale : List.of(LATENTS_FILE, GENERATED_FILE, RECONSTRUCTIONS_FILE, SUMMARY_FILE)) {
      Files.deleteIfExists(outDir.resolve(stale));
    }
    Map<String, String> files = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    List<LatentEvent> latents = tracker.inputs().images().keySet().stream()
        .filter(tracker.latents()::containsKey).map(tracker.latents()::get).toList();
    if (!latents.isEmpty()) {
      LatentsFile.write(outDir.resolve(LATENTS_FILE), latents);
      files.put("latents", LATENTS_FILE);
      try {
        ResultPictures.reconstructions(outDir.resolve(RECONSTRUCTIONS_FILE), tracker, latents, bundle,
            "sent images above the bundle's decoding of the returned latents");
        files.put("reconstructions", RECONSTRUCTIONS_FILE);
      } catch (IllegalArgumentException e) {
        notes.add("no reconstructions.png: " + e.getMessage());
      }
    } else if (!tracker.inputs().images().isEmpty()) {
      notes.add("no latent came back: no latents.safetensors, no reconstructions.png");
    }
    if (!tracker.inputs().requests().isEmpty()) {
      ResultPictures.generated(outDir.resolve(GENERATED_FILE), tracker, bundle.tokenizer().imageSize(),
          "generated, a row per prompt");
      files.put("generated", GENERATED_FILE);
    }
    files.put("summary", SUMMARY_FILE);
    RunSummary summary = RunSummary.of(tracker, bundle.id(), wallMs, unreadable, files, notes);
    if (!summary.outputBundleIds().isEmpty() && !summary.outputBundleIds().equals(List.of(bundle.id()))) {
      notes.add("the service answered with bundle(s) " + summary.outputBundleIds() + ", the client decoded with "
          + bundle.id());
      summary = RunSummary.of(tracker, bundle.id(), wallMs, unreadable, files, notes);
    }
    summary.write(outDir.resolve(SUMMARY_FILE));
    return summary;
  }

  private static Outcome outcome(RunSummary summary) {
    if (!summary.complete()) {
      return Outcome.TIMEOUT;
    }
    if (!summary.conservation().holds()) {
      return Outcome.NOT_CONSERVED;
    }
    return summary.failures().isEmpty() ? Outcome.OK : Outcome.FAILURES;
  }
}
