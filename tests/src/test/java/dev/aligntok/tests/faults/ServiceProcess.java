package dev.aligntok.tests.faults;

import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.service.config.PassThroughProperties;
import dev.aligntok.tests.harness.FreePorts;
import dev.aligntok.tests.harness.RealStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AlignTok service ({@code AlignTokService}) in a JVM of its own, on the test JVM's classpath
 * (through a {@link PathingJar}), pointed at the harness's broker and registry, on a free loopback
 * port, with auth off. Its output goes to a log file; {@link #close()} always stops it, and so does
 * a JVM shutdown hook should the test JVM exit without closing it.
 */
final class ServiceProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceProcess.class);

  static final String MAIN_CLASS = "dev.aligntok.stream.service.AlignTokService";
  // Generous: three instances starting side by side on two busy cores each take most of a minute.
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  // Longer than the service's aligntok.kafka.close-timeout (30 s), which it may spend finishing its batch.
  private static final Duration STOP_GRACE = Duration.ofSeconds(45);
  private static final int LOG_TAIL_LINES = 60;
  /** The child's environment; all else (KAFKA_*, ALIGNTOK_*, SERVER_* of the caller's shell) is dropped. */
  private static final Set<String> KEPT_ENVIRONMENT = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ");

  /**
   * What a service instance is started with; two instances with the same application id and state
   * directory are the same Streams application resuming.
   *
   * @param settings extra {@code aligntok.*} / {@code micronaut.*} settings, as system properties; Kafka
   *     pass-through ones ({@code aligntok.kafka.properties.<dotted.name>}) as the environment variables
   *     the service reads them from
   * @param mainClass the service's entry point ({@link #MAIN_CLASS}, or a test-only one such as {@link CrashingService})
   */
  record Config(RealStack stack, Path bundle, TopicNames topics, String applicationId, Path stateDir,
                Map<String, String> settings, String mainClass) {
    Config(RealStack stack, Path bundle, TopicNames topics, String applicationId, Path stateDir,
           Map<String, String> settings) {
      this(stack, bundle, topics, applicationId, stateDir, settings, MAIN_CLASS);
    }

    /** The same, with its own state directory: another instance of the same application. */
    Config withStateDir(Path dir) {
      return new Config(stack, bundle, topics, applicationId, dir, settings, mainClass);
    }
  }

  private final Process process;
  private final int port;
  private final Path logFile;
  private final Thread shutdownHook;

  private ServiceProcess(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.shutdownHook = new Thread(process::destroyForcibly, "service-process-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Launches the service and returns once {@code /health/readiness} answers 200; on failure nothing is left running. */
  static ServiceProcess start(Config config, Path pathingJar, Path logFile) throws IOException, InterruptedException {
    return start(config, pathingJar, logFile, false);
  }

  /**
   * As {@link #start(Config, Path, Path)}; a {@code peer} also announces its API address as
   * {@code aligntok.kafka.application-server}, so the other instances of its application route
   * interactive queries about the keys it owns to it.
   */
  static ServiceProcess start(Config config, Path pathingJar, Path logFile, boolean peer)
      throws IOException, InterruptedException {
    int port = FreePorts.freeLoopbackPort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms128m", "-Xmx1g",
        "-cp", pathingJar.toString()));
    Map<String, String> properties = systemProperties(config, port);
    if (peer) {
      properties.put("aligntok.kafka.application-server", FreePorts.LOOPBACK_HOST + ":" + port);
    }
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add(config.mainClass());
    Files.createDirectories(logFile.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().keySet().retainAll(KEPT_ENVIRONMENT);
    // Pass-through client properties have dotted keys: the service reads them from these variables.
    builder.environment().put("ALIGNTOK_KAFKA_PROPERTIES_STATE_DIR", config.stateDir().toString());
    // A killed instance never leaves the group: its successor waits out its session (broker minimum 6 s).
    builder.environment().put("ALIGNTOK_KAFKA_PROPERTIES_SESSION_TIMEOUT_MS", "6000");
    config.settings().forEach((key, value) -> {
      if (key.startsWith(PassThroughProperties.KAFKA + ".")) {
        builder.environment().put(key.toUpperCase(Locale.ROOT).replace('.', '_'), value);
      }
    });
    ServiceProcess service = new ServiceProcess(builder.start(), port, logFile);
    service.process.getOutputStream().close();
    log.info("service pid {} launched on port {}, log {}", service.pid(), port, logFile);
    try {
      service.awaitReady();
      return service;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      service.close();
      throw e;
    }
  }

  private static Map<String, String> systemProperties(Config config, int port) {
    Map<String, String> props = new TreeMap<>();
    props.put("micronaut.server.host", FreePorts.LOOPBACK_HOST);
    props.put("micronaut.server.port", Integer.toString(port));
    // The management port (health details, metrics) is fixed by default: two instances need their own.
    props.put("endpoints.all.port", Integer.toString(FreePorts.freeLoopbackPort()));
    props.put("aligntok.kafka.bootstrap-servers", config.stack().bootstrapServers());
    props.put("aligntok.kafka.application-id", config.applicationId());
    props.put("aligntok.registry.url", config.stack().registryUrl());
    props.put("aligntok.model.bundle-path", config.bundle().toString());
    props.put("aligntok.model.providers", "CPU");
    props.put("aligntok.auth.enabled", "false");
    props.put("aligntok.topics.partitions", "1");
    props.put("aligntok.topics.replication-factor", "1");
    TopicNames topics = config.topics();
    props.put("aligntok.topics.images", topics.images());
    props.put("aligntok.topics.latents", topics.latents());
    props.put("aligntok.topics.prompts", topics.prompts());
    props.put("aligntok.topics.generated", topics.generated());
    props.put("aligntok.topics.status", topics.status());
    props.put("aligntok.topics.dead-letters", topics.deadLetters());
    props.put("aligntok.topics.cancellations", topics.cancellations());
    config.settings().forEach((key, value) -> {
      if (!key.startsWith(PassThroughProperties.KAFKA + ".")) {
        props.put(key, value);
      }
    });
    return props;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code; only once it has exited. */
  int exitValue() {
    return process.exitValue();
  }

  Path logFile() {
    return logFile;
  }

  /** The address of {@code path} (starting with '/') on this instance's HTTP API. */
  URI uri(String path) {
    return URI.create("http://" + FreePorts.LOOPBACK_HOST + ":" + port + path);
  }

  /** SIGKILL (on Linux), as {@code kill -9}: no shutdown hook, no close, no last commit. Waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("service pid " + pid() + " still alive 10 s after SIGKILL");
    }
    log.info("service pid {} killed (exit {})", pid(), process.exitValue());
  }

  private void awaitReady() throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest probe = HttpRequest.newBuilder(uri("/health/readiness"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("service pid " + pid() + " exited with " + process.exitValue()
            + " before it was ready; " + logTail());
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("service pid " + pid() + " not ready on port " + port + " within "
            + READY_TIMEOUT.toSeconds() + " s; " + logTail());
      }
      Thread.sleep(200);
    }
  }

  /** The last lines of the log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readString(logFile, StandardCharsets.UTF_8).lines().toList();
      return "last lines of " + logFile + ":\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** SIGTERM, then SIGKILL after a grace period; a no-op when it already exited. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException jvmShuttingDown) {
      // the hook runs anyway
    }
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("service pid {} ignored SIGTERM for {} s; killing it", pid(), STOP_GRACE.toSeconds());
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
