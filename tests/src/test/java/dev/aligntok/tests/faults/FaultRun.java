package dev.aligntok.tests.faults;

import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * One fault test's fixture: unique topics and application id, the service's configuration (default
 * bundle, state under {@code tmp}), its logs under {@code target/faults/<run>}, and the Avro serdes
 * the test reads and writes with. Every service it starts is the same Streams application.
 */
final class FaultRun implements AutoCloseable {
  final RealStack stack;
  final TopicNames topics;
  final EventSerdes serdes;
  private final ServiceProcess.Config config;
  private final Path pathingJar;
  private final Path logs;
  private final SchemaRegistryClient registry;
  private int started;

  /** @param settings extra service settings (batch sizes, ...) */
  FaultRun(RealStack stack, String prefix, Path tmp, Map<String, String> settings) throws IOException {
    this(stack, prefix, tmp, settings, ServiceProcess.MAIN_CLASS);
  }

  /** @param mainClass the service's entry point (a test-only one injects faults) */
  FaultRun(RealStack stack, String prefix, Path tmp, Map<String, String> settings, String mainClass)
      throws IOException {
    this.stack = stack;
    String run = RealStack.uniqueName(prefix);
    this.topics = new TopicNames(run + ".images", run + ".latents", run + ".prompts", run + ".generated",
        run + ".status", run + ".dlq", run + ".cancellations");
    this.config = new ServiceProcess.Config(stack, GenerationBacklog.DEFAULT_BUNDLE, topics, run,
        tmp.resolve("state"), settings, mainClass);
    this.pathingJar = PathingJar.write(tmp.resolve("classpath.jar"), System.getProperty("java.class.path"));
    this.logs = Path.of("target", "faults", run).toAbsolutePath();
    this.registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()));
    this.serdes = new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
  }

  /** Starts a service instance (log {@code service-<n>.log}) and waits until it is ready. */
  ServiceProcess startService() throws IOException, InterruptedException {
    started++;
    return ServiceProcess.start(config, pathingJar, logs.resolve("service-" + started + ".log"));
  }

  /**
   * Starts instance {@code name} of several sharing this run's application: its own state directory
   * ({@code state-<name>}, kept across its restarts), the log {@code <name>-<start>.log}, and its API
   * address announced to its peers for query routing. Waits until it is ready.
   *
   * @param start which start of this instance (1 for the first), naming its log
   */
  ServiceProcess startPeer(String name, int start) throws IOException, InterruptedException {
    return ServiceProcess.start(config.withStateDir(config.stateDir().resolveSibling("state-" + name)), pathingJar,
        logs.resolve(name + "-" + start + ".log"), true);
  }

  /** Where this run's service logs go. */
  Path logs() {
    return logs;
  }

  /**
   * Deletes the service's state directory, as a replacement pod on a fresh volume would find it:
   * every store must then be restored from its changelog. Only while no instance is running.
   *
   * @return how many files and directories were deleted
   */
  int deleteState() throws IOException {
    Path state = config.stateDir();
    if (!Files.exists(state)) {
      return 0;
    }
    try (Stream<Path> paths = Files.walk(state)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList(); // children before their directory
      for (Path path : all) {
        Files.delete(path);
      }
      return all.size();
    }
  }

  /** Waits until at least one generated image is committed and returns how many are. */
  int awaitFirstImages(ServiceProcess service, Duration timeout) {
    return explained(service, () -> CommittedOutputs.read(stack, List.of(topics.generated()),
        out -> !out.of(topics.generated()).isEmpty(), timeout, Duration.ZERO)).of(topics.generated()).size();
  }

  /**
   * Waits until a read_committed reader sees a request RUNNING and no final status yet — a batch
   * between its parts (RUNNING commits in the first part, before any sampling) — and returns its id,
   * preferring one whose committed progress is past 0 (its sampling has begun).
   */
  String awaitMidRun(ServiceProcess service, Duration timeout) {
    CommittedOutputs out = explained(service, () -> CommittedOutputs.read(stack, List.of(topics.status()),
        read -> midRun(read) != null, timeout, Duration.ZERO));
    return midRun(out);
  }

  private String midRun(CommittedOutputs out) {
    java.util.Map<String, dev.aligntok.events.GenerationStatus> latest = new java.util.HashMap<>();
    out.values(topics.status(), dev.aligntok.events.GenerationStatus.class, serdes)
        .forEach(status -> latest.put(status.getRequestId(), status));
    return latest.values().stream()
        .filter(status -> status.getState() == dev.aligntok.events.GenerationState.RUNNING)
        .max(java.util.Comparator.comparing(dev.aligntok.events.GenerationStatus::getProgress))
        .map(dev.aligntok.events.GenerationStatus::getRequestId).orElse(null);
  }

  /** Runs a read; when the outputs do not come in time, the failure carries the end of the service's log. */
  static CommittedOutputs explained(ServiceProcess service, Supplier<CommittedOutputs> read) {
    try {
      return read.get();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; " + service.logTail(), e);
    }
  }

  @Override
  public void close() {
    registry.close();
  }
}
