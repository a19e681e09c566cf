package dev.aligntok.tests.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apicurio Registry 2.x (Confluent-compatible API under {@code /apis/ccompat/v7}) running as
 * a child JVM on a free 127.0.0.1 port, with in-memory storage and global compatibility BACKWARD.
 *
 * <p>The child is stopped through its {@link Process} handle only: by {@link #close()}, and by a
 * JVM shutdown hook should the test JVM exit without closing it. (Nothing can stop it if this JVM
 * is killed with SIGKILL.) Its output goes to {@code apicurio.log} in the work directory.
 */
public final class ApicurioProcess implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ApicurioProcess.class);

  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final int LAUNCH_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 40;

  /** The child's environment; all else (REGISTRY_*, QUARKUS_*, KAFKA_*, ...) is dropped. */
  private static final Set<String> KEPT_ENVIRONMENT =
      Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ");

  private final Process process;
  private final int port;
  private final Path logFile;
  private final Thread shutdownHook;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ApicurioProcess(Process process, int port, Path logFile) {
    this.process = process;
    this.port = port;
    this.logFile = logFile;
    this.shutdownHook =
        new Thread(() -> stop(process, Duration.ofSeconds(5)), "apicurio-shutdown-hook");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Launches the registry from an unpacked {@code apicurio-registry-app-*-all.tar.gz} and returns
   * once its ccompat API answers and global compatibility is BACKWARD. On failure nothing is left
   * running and the exception carries the end of the registry's log.
   */
  public static ApicurioProcess start(Path distributionDir, Path workDir)
      throws IOException, InterruptedException {
    Path runnerJar = findRunnerJar(distributionDir);
    Path home = Files.createDirectories(workDir.resolve("apicurio-work"));
    Path logFile = workDir.resolve("apicurio.log");
    for (int attempt = 1; ; attempt++) {
      ApicurioProcess registry = launch(runnerJar, home, logFile, FreePorts.freeLoopbackPort());
      try {
        registry.awaitReady();
        registry.setGlobalCompatibility("BACKWARD");
        return registry;
      } catch (PortTakenException e) {
        registry.close();
        if (attempt == LAUNCH_ATTEMPTS) {
          throw new IllegalStateException(
              "no free port after " + attempt + " attempts: " + e.getMessage(), e);
        }
        log.warn("Apicurio Registry lost the race for port {}; retrying on another", registry.port);
      } catch (IOException | InterruptedException | RuntimeException | Error e) {
        registry.close();
        throw e;
      }
    }
  }

  private static ApicurioProcess launch(Path runnerJar, Path home, Path logFile, int port)
      throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        List.of(
            java.toString(),
            "-Xms64m",
            "-Xmx512m",
            "-XX:TieredStopAtLevel=1",
            "-Djava.io.tmpdir=" + home,
            "-Dquarkus.http.host=" + FreePorts.LOOPBACK_HOST,
            "-Dquarkus.http.port=" + port,
            // In-memory H2, explicitly (it is the default of this distribution).
            "-Dquarkus.datasource.jdbc.url=jdbc:h2:mem:registry_db",
            // Ids are content ids; lookups compare schema text exactly (defaults, pinned).
            "-Dregistry.ccompat.legacy-id-mode.enabled=false",
            "-Dregistry.ccompat.use-canonical-hash=false",
            "-jar",
            runnerJar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    builder.environment().keySet().retainAll(KEPT_ENVIRONMENT);
    Process process = builder.start();
    ApicurioProcess registry = new ApicurioProcess(process, port, logFile);
    log.debug("Apicurio pid {} launched on port {}: {}", process.pid(), port, command);
    try {
      process.getOutputStream().close(); // it reads nothing from stdin
    } catch (IOException ignored) {
      // a pipe we never wrote to
    }
    return registry;
  }

  /** {@code http://127.0.0.1:<port>/apis/ccompat/v7}, without a trailing slash. */
  public String ccompatUrl() {
    return "http://" + FreePorts.LOOPBACK_HOST + ":" + port + CCOMPAT_PATH;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    HttpRequest probe =
        HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
            .timeout(Duration.ofSeconds(2))
            .GET()
            .build();
    while (true) {
      if (!process.isAlive()) {
        String tail = logTail();
        String message =
            String.format(
                "Apicurio Registry exited with code %d before it was ready on port %d."
                    + " Last lines of %s:%n%s",
                process.exitValue(), port, logFile, tail);
        // What Quarkus logs when another process took the port after we chose it.
        if (tail.contains("Port " + port + " seems to be in use")) {
          throw new PortTakenException(message);
        }
        throw new IllegalStateException(message);
      }
      try {
        if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // keep polling
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            String.format(
                "Apicurio Registry not ready on port %d within %d s. Last lines of %s:%n%s",
                port, READY_TIMEOUT.toSeconds(), logFile, logTail()));
      }
      Thread.sleep(200);
    }
  }

  private void setGlobalCompatibility(String level) throws IOException, InterruptedException {
    HttpRequest put =
        HttpRequest.newBuilder(URI.create(ccompatUrl() + "/config"))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", CONTENT_TYPE)
            .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
            .build();
    HttpResponse<String> response = http.send(put, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 || !response.body().contains(level)) {
      throw new IllegalStateException(
          String.format(
              "cannot set global compatibility %s: HTTP %d %s",
              level, response.statusCode(), response.body()));
    }
  }

  /** Stops the registry (SIGTERM, then SIGKILL after a grace period) and any process it started. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException jvmAlreadyShuttingDown) {
      // the hook is running or will run; stopping twice is harmless
    }
    stop(process, STOP_GRACE);
  }

  private static void stop(Process process, Duration grace) {
    List<ProcessHandle> descendants = process.descendants().toList();
    stop(process.toHandle(), grace);
    descendants.forEach(child -> stop(child, grace));
  }

  private static void stop(ProcessHandle handle, Duration grace) {
    if (!handle.isAlive()) {
      return;
    }
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception stillRunning) {
      // fall through to the forcible stop
    }
    if (handle.isAlive()) {
      log.warn("process {} ignored SIGTERM for {} s; killing it", handle.pid(), grace.toSeconds());
      handle.destroyForcibly();
    }
  }

  private static Path findRunnerJar(Path distributionDir) throws IOException {
    if (!Files.isDirectory(distributionDir)) {
      throw new IllegalStateException(
          "Apicurio Registry distribution not found at "
              + distributionDir
              + ". The tests module's build unpacks it:"
              + " run `mvn -pl tests generate-test-resources`.");
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> stream =
        Files.newDirectoryStream(distributionDir, "apicurio-registry-app-*-runner.jar")) {
      stream.forEach(jars::add);
    }
    if (jars.size() != 1) {
      throw new IllegalStateException(
          "expected exactly one apicurio-registry-app-*-runner.jar in "
              + distributionDir
              + ", found "
              + jars
              + ". Delete that folder and run"
              + " `mvn -pl tests generate-test-resources` to unpack the distribution again.");
    }
    return jars.get(0);
  }

  private String logTail() {
    try {
      List<String> lines =
          new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile + ": " + e + ")";
    }
  }

  /** The chosen port was taken between choosing it and the registry binding it. */
  private static final class PortTakenException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    PortTakenException(String message) {
      super(message);
    }
  }
}
