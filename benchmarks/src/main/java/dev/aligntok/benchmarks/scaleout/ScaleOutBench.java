package dev.aligntok.benchmarks.scaleout;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.benchmarks.BenchCommandLine;
import dev.aligntok.quickstart.SampleImages;
import dev.aligntok.quickstart.StackOptions;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.logging.LogLevel;
import dev.aligntok.stream.output.EventSerdes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Command line of the scale-out benchmark: service JVMs of one Streams application on the local stack,
 * measured for fail-over time after a {@code kill -9} (with and without standby replicas) and for
 * throughput with 1, 2 and 3 instances. A benchmark run by hand; never part of the tests.
 */
@Command(name = "scaleout-bench", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = {ScaleOutBench.Failover.class, ScaleOutBench.Throughput.class},
    description = {"Scale-out of the service on one machine, on a running stack (scripts/stack.sh start): "
        + "'failover' times kill -9 → output again per orphaned partition; 'throughput' measures images/s "
        + "with 1, 2, 3 instances. Each run uses fresh topics and a fresh application id. JSON + Markdown."})
public final class ScaleOutBench implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    LogLevel.defaultTo("WARN");
    System.exit(BenchCommandLine.of(new ScaleOutBench(), "scaleout-bench").execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a measurement: failover or throughput");
  }

  /** Options both measurements share. */
  static final class Common {
    @Mixin
    StackOptions stack;

    @Option(names = "--bundle", paramLabel = "DIR", defaultValue = "models/emoji-default-bundle",
        description = "Model bundle the instances serve (default: ${DEFAULT-VALUE})")
    Path bundle;

    @Option(names = "--images", paramLabel = "DIR",
        description = "Folder of PNG files (default: the emoji of " + SampleImages.EMOJI_PACKAGE + " in the data cache)")
    Path images;

    @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "face-smiling",
        description = "Prompt of the generation requests (default: ${DEFAULT-VALUE})")
    String prompt;

    @Option(names = "--session-timeout-ms", paramLabel = "MS", defaultValue = "10000",
        description = "Streams' consumer session.timeout.ms of every instance, as ./quickstart sets it "
            + "(Kafka's default is 45000) (default: ${DEFAULT-VALUE})")
    int sessionTimeoutMs;

    @Option(names = "--service-property", paramLabel = "KEY=VALUE",
        description = "Extra aligntok.kafka.properties entry for every instance; repeatable")
    Map<String, String> serviceProperties = new LinkedHashMap<>();

    @Option(names = "--service-jvm-options", paramLabel = "OPTS", defaultValue = "-Xms128m -Xmx768m",
        description = "JVM options of each instance (default: ${DEFAULT-VALUE})")
    String serviceJvmOptions;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "240",
        description = "Longest an instance may take to become ready (default: ${DEFAULT-VALUE})")
    int readyTimeoutSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "target/scaleout",
        description = "State directories and instance logs (default: ${DEFAULT-VALUE})")
    Path workDir;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true,
        description = "JSON report; the Markdown goes beside it as .md")
    Path out;

    ServiceInstances.Settings settings(String applicationId, Map<String, String> more) throws IOException {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("session.timeout.ms", Integer.toString(sessionTimeoutMs));
      properties.putAll(more);
      properties.putAll(serviceProperties);
      Path dir = workDir.toAbsolutePath().resolve(applicationId);
      Files.createDirectories(dir);
      return new ServiceInstances.Settings(stack.bootstrapServers(), stack.registryUrl(), bundle, applicationId, dir,
          List.of(serviceJvmOptions.trim().split("\\s+")), properties);
    }

    List<SampleImages.Sample> samples() {
      return SampleImages.firstPngs(images == null ? SampleImages.defaultFolder() : images, 64);
    }

    EventSerdes serdes(SchemaRegistryClient registry) {
      return new EventSerdes(registry, AvroSerdeConfig.DEFAULT);
    }

    SchemaRegistryClient registry() {
      return CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()));
    }
  }

  /** A fresh application id (also the topic prefix) for one measured configuration. */
  static String applicationId(String what) {
    return String.format("bench-scaleout-%s-%04x", what, ThreadLocalRandom.current().nextInt(1 << 16));
  }

  /** The 1-, 5- and 15-minute load averages of this machine (/proc/loadavg), or "unknown". */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  static void write(Path json, Object report, String markdown) throws IOException {
    Path parent = json.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    String name = json.getFileName().toString();
    Files.writeString(parent.resolve((name.endsWith(".json") ? name.substring(0, name.length() - 5) : name) + ".md"),
        markdown);
  }

  @Command(name = "failover", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Starts --instances instances, sends a steady stream of images and prompts keyed over every "
          + "partition, then --kills times: kill -9 of one instance (in turn), and per partition it held (read "
          + "from the consumer group before the kill) the time until the first committed output from that "
          + "partition's inputs is read (read_committed); the killed instance is restarted (same state dir) and "
          + "the load settles before the next kill. Once per --standby value (num.standby.replicas)."})
  static final class Failover implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--instances", paramLabel = "N", defaultValue = "2",
        description = "Service instances (default: ${DEFAULT-VALUE})")
    int instances;

    @Option(names = "--standby", paramLabel = "N", split = ",", defaultValue = "0,1",
        description = "num.standby.replicas values to measure, one run each (default: ${DEFAULT-VALUE})")
    List<Integer> standbys;

    @Option(names = "--kills", paramLabel = "N", defaultValue = "3",
        description = "kill -9 per standby value (default: ${DEFAULT-VALUE})")
    int kills;

    @Option(names = "--image-rate", paramLabel = "PER_S", defaultValue = "12",
        description = "Steady image events per second (default: ${DEFAULT-VALUE})")
    double imageRate;

    @Option(names = "--prompt-rate", paramLabel = "PER_S", defaultValue = "1",
        description = "Steady generation requests per second, one image each; 0 = none (default: ${DEFAULT-VALUE})")
    double promptRate;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "4",
        description = "Sampler steps of the steady generation requests (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--settle", paramLabel = "SECONDS", defaultValue = "20",
        description = "Steady load before each kill, after every partition produced output (default: ${DEFAULT-VALUE})")
    int settleSeconds;

    @Option(names = "--restart-after", paramLabel = "SECONDS", defaultValue = "-1",
        description = "Restart the killed instance (same state dir, so the same transactional ids: its restart "
            + "fences and aborts the dead one's open transaction) this many seconds after the kill, as an "
            + "orchestrator restarts a pod; -1 = only after every orphaned partition produced output again "
            + "(the survivors alone take over) (default: ${DEFAULT-VALUE})")
    double restartAfterSeconds;

    @Option(names = "--recovery-timeout", paramLabel = "SECONDS", defaultValue = "300",
        description = "Longest wait for the orphaned partitions' output after a kill (default: ${DEFAULT-VALUE})")
    int recoveryTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
      String loadBefore = loadAverage();
      List<FailoverRun.Result> runs = new ArrayList<>();
      try (SchemaRegistryClient registry = common.registry()) {
        for (int standby : standbys) {
          String applicationId = applicationId("sb" + standby);
          System.out.printf("num.standby.replicas=%d: %d instances, application %s%n", standby, instances, applicationId);
          runs.add(new FailoverRun(common, this, standby, applicationId, common.serdes(registry)).run());
        }
      }
      FailoverReport report = new FailoverReport(BenchCommandLine.typedCommand(ScaleOutBench.class, List.of()),
          instances, kills, restartAfterSeconds, imageRate, promptRate, steps, common.sessionTimeoutMs, common.serviceProperties,
          Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(), runs);
      write(common.out, report, report.markdown());
      System.out.print(report.markdown());
      return 0;
    }
  }

  @Command(name = "throughput", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"For each --instances value: fresh application and topics, the instances started, a warm-up, "
          + "then --events image events (tokenize) and --requests one-image generation requests at --steps "
          + "(generate), each sent as fast as the producer allows; images/s from first send to last committed "
          + "output, and sustained (outputs 10 % → 90 %)."})
  static final class Throughput implements Callable<Integer> {
    @Mixin
    Common common;

    @Option(names = "--instances", paramLabel = "N", split = ",", defaultValue = "1,2,3",
        description = "Instance counts to measure (default: ${DEFAULT-VALUE})")
    List<Integer> instanceCounts;

    @Option(names = {"-n", "--events"}, paramLabel = "N", defaultValue = "3000",
        description = "Image events of the tokenize pass (default: ${DEFAULT-VALUE})")
    int events;

    @Option(names = "--requests", paramLabel = "N", defaultValue = "120",
        description = "One-image generation requests of the generate pass; 0 = none (default: ${DEFAULT-VALUE})")
    int requests;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "10",
        description = "Sampler steps of the generate pass (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warmup-events", paramLabel = "N", defaultValue = "300",
        description = "Image events (and a tenth as many requests) of an untimed first pass (default: ${DEFAULT-VALUE})")
    int warmupEvents;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "900",
        description = "Longest one pass may take (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
      List<ThroughputRun.Result> runs = new ArrayList<>();
      String loadBefore = loadAverage();
      try (SchemaRegistryClient registry = common.registry()) {
        for (int n : instanceCounts) {
          String applicationId = applicationId("n" + n);
          System.out.printf("%d instance(s), application %s%n", n, applicationId);
          runs.add(new ThroughputRun(common, this, n, applicationId, common.serdes(registry)).run());
        }
      }
      ThroughputReport report = new ThroughputReport(BenchCommandLine.typedCommand(ScaleOutBench.class, List.of()),
          events, requests, steps, warmupEvents, Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage(),
          runs);
      write(common.out, report, report.markdown());
      System.out.print(report.markdown());
      return runs.stream().allMatch(ThroughputRun.Result::complete) ? 0 : 3;
    }
  }
}
