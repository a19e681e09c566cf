package dev.aligntok.benchmarks.scaleout;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Service JVMs of one Kafka Streams application on a local stack, each with its own HTTP and
 * management ports, state directory, {@code application.server} and {@code client.id} (so the
 * consumer group's members name their instance). Started, killed ({@code SIGKILL}) and stopped by
 * this process only, by their {@link Process} handles.
 */
public final class ServiceInstances implements AutoCloseable {
  private static final String SERVICE_MAIN = "dev.aligntok.stream.service.AlignTokService";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  /** What every instance shares: the stack, the bundle, the topic prefix and Streams properties. */
  public record Settings(String bootstrapServers, String registryUrl, Path bundle, String applicationId,
                         Path workDir, List<String> jvmOptions, Map<String, String> kafkaProperties) {}

  /** One instance's fixed identity; it keeps it across restarts (its state directory survives a kill). */
  public record Instance(int index, int httpPort, int managementPort, Path stateDir, Path log, String clientId) {}

  private final Settings settings;
  private final List<Instance> instances = new ArrayList<>();
  private final Map<Integer, Process> running = new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Thread shutdownHook = new Thread(this::destroyAll, "stop-service-instances");

  public ServiceInstances(Settings settings, int count) throws IOException {
    this.settings = settings;
    // Ctrl-C or SIGTERM of the benchmark stops the instances it started, not only a normal end.
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    for (int i = 1; i <= count; i++) {
      Path state = settings.workDir().resolve("state-" + i);
      Files.createDirectories(state);
      instances.add(new Instance(i, freePort(), freePort(), state, settings.workDir().resolve("service-" + i + ".log"),
          settings.applicationId() + "-i" + i));
    }
  }

  public List<Instance> instances() {
    return List.copyOf(instances);
  }

  public Instance instance(int index) {
    return instances.get(index - 1);
  }

  /** Starts every instance and waits until each answers /health/readiness. */
  public void startAll(Duration readyTimeout) throws IOException, InterruptedException {
    for (Instance instance : instances) {
      start(instance.index());
    }
    for (Instance instance : instances) {
      awaitReady(instance.index(), readyTimeout);
    }
  }

  /** Launches instance {@code index} (1-based); its log is appended to. */
  public void start(int index) throws IOException {
    Instance instance = instance(index);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(settings.jvmOptions());
    // This JVM's classpath is the benchmarks' pathing jar, which holds stream-app and its dependencies.
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), SERVICE_MAIN));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(instance.log().toFile()));
    builder.environment().putAll(environment(instance));
    running.put(index, builder.start());
  }

  private Map<String, String> environment(Instance instance) {
    Map<String, String> env = new HashMap<>();
    env.put("SERVER_HOST", "127.0.0.1");
    env.put("SERVER_PORT", Integer.toString(instance.httpPort()));
    env.put("MANAGEMENT_PORT", Integer.toString(instance.managementPort()));
    env.put("KAFKA_BOOTSTRAP_SERVERS", settings.bootstrapServers());
    env.put("SCHEMA_REGISTRY_URL", settings.registryUrl());
    env.put("ALIGNTOK_MODEL_BUNDLE_PATH", settings.bundle().toAbsolutePath().toString());
    env.put("ALIGNTOK_MODEL_PROVIDERS", "CPU");
    // Loopback benchmark: no API keys.
    env.put("ALIGNTOK_AUTH_ENABLED", "false");
    env.put("ALIGNTOK_APPLICATION_SERVER", "127.0.0.1:" + instance.httpPort());
    env.put("ALIGNTOK_KAFKA_APPLICATION_ID", settings.applicationId());
    ScaleOutTopics.of(settings.applicationId()).environment().forEach(env::put);
    env.put(propertyVariable("state.dir"), instance.stateDir().toString());
    env.put(propertyVariable("client.id"), instance.clientId());
    settings.kafkaProperties().forEach((key, value) -> env.put(propertyVariable(key), value));
    return env;
  }

  /** aligntok.kafka.properties.KEY as an environment variable (underscores stand for the dots). */
  static String propertyVariable(String key) {
    return "ALIGNTOK_KAFKA_PROPERTIES_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * One look at /health/readiness of a running instance: true when it answers 200 (Kafka Streams
   * RUNNING, models loaded); false while it rebalances or does not answer within a second.
   */
  public boolean ready(int index) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance(index).httpPort()
        + "/health/readiness")).timeout(Duration.ofSeconds(1)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits for /health/readiness of instance {@code index}; fails when it exits or the time passes. */
  public void awaitReady(int index, Duration timeout) throws InterruptedException {
    Instance instance = instance(index);
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + "/health/readiness"))
        .timeout(Duration.ofSeconds(5)).GET().build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Process process = running.get(index);
      if (process == null || !process.isAlive()) {
        throw new IllegalStateException("service instance " + index + " exited before it was ready; see " + instance.log());
      }
      try {
        if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("service instance " + index + " was not ready within " + timeout.toSeconds()
            + " s; see " + instance.log());
      }
      Thread.sleep(500);
    }
  }

  /** SIGKILL: no leave-group, no commit, no close — as a crashed node. Returns once the process is gone. */
  public void kill(int index) throws InterruptedException {
    Process process = running.remove(index);
    if (process != null) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  /** SIGTERM (the service closes Streams), SIGKILL after {@link #STOP_TIMEOUT}. */
  public void stop(int index) throws InterruptedException {
    Process process = running.remove(index);
    if (process != null) {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  /** Stops every running instance, all at once. */
  @Override
  public void close() throws InterruptedException {
    running.values().forEach(Process::destroy);
    for (Integer index : List.copyOf(running.keySet())) {
      stop(index);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or ran: nothing left to stop
    }
  }

  private void destroyAll() {
    running.values().forEach(Process::destroy);
    running.values().forEach(process -> {
      try {
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
      }
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
