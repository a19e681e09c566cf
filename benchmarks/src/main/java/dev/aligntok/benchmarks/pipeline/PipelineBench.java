package dev.aligntok.benchmarks.pipeline;

import dev.aligntok.benchmarks.BenchCommandLine;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.quickstart.RunInputs;
import dev.aligntok.quickstart.SampleImages;
import dev.aligntok.quickstart.StackOptions;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.logging.LogLevel;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.runtime.BundleModels;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Command line of the pipeline benchmark: raw batched encode vs the tokenize topology on a real broker. */
@Command(name = "pipeline-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Measures raw batched encode throughput of a bundle, then pushes N image events through the tokenize "
            + "topology (in this JVM, exactly_once_v2, fresh topics) on a real broker and registry, reads the latents "
            + "read_committed, and reports Kafka throughput, efficiency (Kafka ÷ raw, target >= "
            + BenchReport.TARGET + ") and end-to-end latency p50/p99 as JSON and Markdown."},
    footer = {"", "Exit codes: 0 every event ended exactly once; 1 error; 2 usage; "
        + "3 incomplete (missing or duplicated outputs; the report is still written)."})
public final class PipelineBench implements Callable<Integer> {
  public static final int INCOMPLETE = 3;

  @Mixin
  StackOptions stack;

  @Option(names = "--bundle", paramLabel = "DIR", defaultValue = "models/emoji-default-bundle",
      description = "Model bundle (default: ${DEFAULT-VALUE})")
  Path bundle;

  @Option(names = "--images", paramLabel = "DIR",
      description = "Folder of PNG files (default: the emoji of " + SampleImages.EMOJI_PACKAGE + " in the data cache)")
  Path images;

  @Option(names = "--distinct-images", paramLabel = "N", defaultValue = "1000",
      description = "Distinct PNG files, cycled to --events (default: ${DEFAULT-VALUE})")
  int distinctImages;

  @Option(names = {"-n", "--events"}, paramLabel = "N", defaultValue = "10000",
      description = "Image events to send; also the images of the raw encode (default: ${DEFAULT-VALUE})")
  int events;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "32",
      description = "Micro-batch size of the topology and of the raw encode (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--max-wait-ms", paramLabel = "MS", defaultValue = "50",
      description = "Longest a record waits for a full batch (default: ${DEFAULT-VALUE})")
  long maxWaitMs;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
      description = "ONNX Runtime intra-op threads per caller, for both measurements; 0 = ONNX Runtime's choice, "
          + "one per core (default: ${DEFAULT-VALUE}). With --partitions 2 on 2 cores, 1 lets one stream thread decode "
          + "while the other infers.")
  int threads;

  @Option(names = "--partitions", paramLabel = "N", defaultValue = "1",
      description = "Partitions of the benchmark topics, stream threads of the topology, and concurrent callers of the "
          + "raw encode (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--commit-interval-ms", paramLabel = "MS",
      description = "Kafka Streams commit.interval.ms (default: Streams' exactly-once default, 100)")
  Long commitIntervalMs;

  @Option(names = "--warmup-events", paramLabel = "N", defaultValue = "2000",
      description = "Events of an untimed first pass through the same running topology, so the measured pass runs on "
          + "warm JIT-compiled code and a settled consumer group, as a long-running service does; 0 = none "
          + "(default: ${DEFAULT-VALUE})")
  int warmupEvents;

  @Option(names = "--rate", paramLabel = "EVENTS_PER_S", defaultValue = "0",
      description = "Send the measured pass at this steady rate, to measure latency below capacity (the efficiency "
          + "then means nothing: the pipeline only gets what is sent); 0 = as fast as the producer allows, which "
          + "measures throughput (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--streams-config", paramLabel = "KEY=VALUE",
      description = "Extra Kafka Streams (or consumer./producer.-prefixed client) setting; repeatable, e.g. "
          + "consumer.max.partition.fetch.bytes=8388608")
  Map<String, String> streamsConfig = new LinkedHashMap<>();

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
      description = "Longest the Kafka pass may take (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;

  @Option(names = {"-o", "--out"}, paramLabel = "FILE", defaultValue = "pipeline-bench.json",
      description = "JSON report; the Markdown goes beside it as .md (default: ${DEFAULT-VALUE})")
  Path out;

  private final PrintStream console;
  private final List<String> args;

  PipelineBench(PrintStream console, List<String> args) {
    this.console = console;
    this.args = args;
  }

  public static void main(String[] args) {
    LogLevel.defaultTo("WARN");
    System.exit(commandLine(System.out, args).execute(args));
  }

  /** The command with one-line error messages, printing to {@code console}. */
  public static CommandLine commandLine(PrintStream console, String... args) {
    return BenchCommandLine.of(new PipelineBench(console, List.of(args)), "pipeline-bench");
  }

  @Override
  public Integer call() throws Exception {
    if (partitions < 1 || threads < 0 || rate < 0) {
      throw new IllegalArgumentException("--partitions must be >= 1, --threads >= 0 and --rate >= 0");
    }
    RuntimeOptions options = runtimeOptions(threads);
    List<SampleImages.Sample> samples = BenchImages.cycle(SampleImages.firstPngs(
        images == null ? SampleImages.defaultFolder() : images, Math.min(distinctImages, events)), events);
    BatchingConfig batching = BatchingConfig.of(batchSize, Duration.ofMillis(maxWaitMs));
    try (BundleModels models = BundleModels.load(bundle, options);
         SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()))) {
      console.printf(Locale.ROOT, "Raw batched encode: %d images, batch %d, bundle %s on %s …%n",
          events, batchSize, models.bundleId(), models.provider());
      List<DecodedImage> decoded = BenchImages.decode(samples, new ImageDecoder(ImageLimits.DEFAULT));
      RawEncodeBench.Result rawBefore = measureRaw(models, decoded);

      Passes passes = pipelinePasses(models, registry, samples, batching);
      console.println("Raw batched encode again (drift check) …");
      RawEncodeBench.Result rawAfter = measureRaw(models, decoded);
      BenchReport report = BenchReport.of(command(), models.bundleId(), models.provider(), settings(), rawBefore, rawAfter,
          passes.warmup(), passes.measured(), rate);
      Path markdown = report.write(out);
      console.print(report.markdown());
      console.println("Wrote " + out.toAbsolutePath().normalize() + " and " + markdown.normalize());
      return passes.measured().complete() ? 0 : INCOMPLETE;
    }
  }

  /** The warm-up pass (null when none) and the measured pass, through one in-process topology. */
  private record Passes(PipelineRun.Result warmup, PipelineRun.Result measured) {}

  private Passes pipelinePasses(BundleModels models, SchemaRegistryClient registry, List<SampleImages.Sample> samples,
                                BatchingConfig batching) throws InterruptedException {
    String runId = RunInputs.newRunId(Clock.systemUTC()).replace("qs-", "bench-");
    EventSerdes serdes = new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
    PipelineRun.Result warmup = null;
    PipelineRun.Result pipeline;
    TopicNames topics = topics(runId);
    try (InProcessTokenizer tokenizer = InProcessTokenizer.start(stack.bootstrapServers(), runId,
        new TokenizeConfig(topics, batching, ImageLimits.DEFAULT, OutputLimits.DEFAULT), models.encoder(), serdes,
        partitions, overrides())) {
      if (warmupEvents > 0) {
        console.printf(Locale.ROOT, "Warm-up pass: %d events (JIT, broker, registry; not part of the ratio) …%n",
            warmupEvents);
        warmup = pass(runId + "-warmup", samples.subList(0, Math.min(warmupEvents, samples.size())), 0, topics,
            serdes, tokenizer);
        console.printf(Locale.ROOT, "  %.1f events/s%n", warmup.eventsPerSecond());
      }
      console.printf(Locale.ROOT, "Kafka pipeline: %d events on %s (topics %s.*) …%n", events,
          stack.bootstrapServers(), runId);
      if (rate > 0) {
        console.printf(Locale.ROOT, "  sent at a steady %.0f events/s (latency below capacity)%n", rate);
      }
      pipeline = pass(runId, samples, rate, topics, serdes, tokenizer);
      console.printf(Locale.ROOT, "  %.1f events/s%n", pipeline.eventsPerSecond());
    }
    return new Passes(warmup, pipeline);
  }

  private static RuntimeOptions runtimeOptions(int intraOpThreads) {
    return RuntimeOptions.defaults().withThreads(intraOpThreads, intraOpThreads == 0 ? 0 : 1);
  }

  private RawEncodeBench.Result measureRaw(BundleModels models, List<DecodedImage> decoded) {
    RawEncodeBench.Result raw = RawEncodeBench.measure(models.encoder(), decoded, batchSize, partitions);
    console.printf(Locale.ROOT, "  %.1f images/s (%.2f s)%n", raw.imagesPerSecond(), raw.seconds());
    return raw;
  }

  /** One pass of {@code samples} (ids prefixed with {@code inputPrefix}) through the running topology. */
  private PipelineRun.Result pass(String inputPrefix, List<SampleImages.Sample> samples, double eventsPerSecond,
                                  TopicNames topics, EventSerdes serdes, InProcessTokenizer tokenizer)
      throws InterruptedException {
    RunInputs inputs = RunInputs.create(inputPrefix, samples, List.of(), 0, null, Instant.now());
    return PipelineRun.run(stack.bootstrapServers(), topics, serdes, inputs, eventsPerSecond,
        Duration.ofSeconds(timeoutSeconds), tokenizer::checkAlive);
  }

  private Map<String, Object> overrides() {
    Map<String, Object> overrides = new HashMap<>();
    if (commitIntervalMs != null) {
      overrides.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
    }
    overrides.putAll(streamsConfig);
    return overrides;
  }

  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("events", events);
    settings.put("batchSize", batchSize);
    settings.put("maxWaitMs", maxWaitMs);
    settings.put("onnxIntraOpThreads", threads);
    settings.put("commitIntervalMs", commitIntervalMs == null ? "default (100)" : commitIntervalMs);
    settings.put("warmupEvents", warmupEvents);
    settings.put("sendRate", rate > 0 ? rate : "unpaced");
    settings.put("streamsConfig", streamsConfig);
    settings.put("distinctImages", Math.min(distinctImages, events));
    settings.put("partitions", partitions);
    settings.put("streamThreadsAndRawCallers", partitions);
    settings.put("processingGuarantee", StreamsConfig.EXACTLY_ONCE_V2);
    settings.put("availableProcessors", Runtime.getRuntime().availableProcessors());
    return settings;
  }

  private String command() {
    return BenchCommandLine.typedCommand(PipelineBench.class, args);
  }

  private static TopicNames topics(String prefix) {
    return new TopicNames(prefix + ".images", prefix + ".latents", prefix + ".prompts", prefix + ".generated",
        prefix + ".status", prefix + ".dlq", prefix + ".cancellations");
  }
}
