package dev.aligntok.tests.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.CompatibilityLevel;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.tests.harness.FreePorts;
import dev.aligntok.tests.harness.RealStack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/stack.sh} as a newcomer uses it: start from an empty stack directory (jars fetched
 * by Maven), status, a real topic and a real schema-registry call, stop, and nothing left running.
 * Runs on its own free ports so it never meets a developer's stack.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class StackScriptTest {
  private static final Path REPO = Path.of(System.getProperty("aligntok.repo.root", "..")).toAbsolutePath().normalize();
  private static Path stackDir;
  private static Map<String, String> env;
  private static int kafkaPort;
  private static int registryPort;

  @BeforeAll
  static void choosePorts() throws IOException {
    stackDir = Files.createDirectories(REPO.resolve("tests/target/stack-script-test"));
    kafkaPort = FreePorts.freeLoopbackPort();
    registryPort = FreePorts.freeLoopbackPort();
    env = Map.of(
        "ALIGNTOK_STACK_DIR", stackDir.toString(),
        "KAFKA_PORT", String.valueOf(kafkaPort),
        "KAFKA_CONTROLLER_PORT", String.valueOf(FreePorts.freeLoopbackPort()),
        "REGISTRY_PORT", String.valueOf(registryPort),
        "REGISTRY_MANAGEMENT_PORT", String.valueOf(FreePorts.freeLoopbackPort()),
        "REGISTRY_STORAGE", "mem");
  }

  @AfterAll
  static void neverLeaveProcessesBehind() throws IOException {
    for (long pid : recordedPids()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  @Order(1)
  void aPortInUseIsAClearErrorAndStartsNothing() throws Exception {
    try (ServerSocket squatter = new ServerSocket(registryPort, 1, InetAddress.getLoopbackAddress())) {
      Result start = run("start");
      assertTrue(start.exitCode() != 0, start.output());
      assertTrue(start.output().contains("REGISTRY_PORT") && start.output().contains(String.valueOf(registryPort)),
          start.output());
    }
    assertTrue(recordedPids().isEmpty(), "nothing may be left running");
  }

  @Test
  @Order(2)
  void startStatusUseAndStopLeaveNothingBehind() throws Exception {
    Result start = run("start");
    assertEquals(0, start.exitCode(), start.output());
    List<Long> pids = recordedPids();
    assertEquals(2, pids.size(), "kafka and registry pids: " + pids);
    pids.forEach(pid -> assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid));

    Result status = run("status");
    assertEquals(0, status.exitCode(), status.output());
    assertTrue(status.output().contains("127.0.0.1:" + kafkaPort), status.output());
    assertTrue(status.output().contains("127.0.0.1:" + registryPort), status.output());

    assertEquals(0, run("start").exitCode(), "start is idempotent");

    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
      String topic = RealStack.uniqueName("stack-test");
      admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
      assertTrue(admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic));
    }
    String registryUrl = "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7";
    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(registryUrl))) {
      assertEquals(CompatibilityLevel.BACKWARD, registry.getCompatibility(null));
    }

    Result stop = run("stop");
    assertEquals(0, stop.exitCode(), stop.output());
    for (long pid : pids) {
      Optional<ProcessHandle> process = ProcessHandle.of(pid);
      if (process.isPresent()) {
        process.get().onExit().get(30, TimeUnit.SECONDS);
      }
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " survived stop");
    }
    assertEquals(3, run("status").exitCode(), "status after stop reports stopped");
  }

  private static List<Long> recordedPids() throws IOException {
    Path dir = stackDir.resolve("pids");
    List<Long> pids = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (var files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
          pids.add(Long.parseLong(Files.readString(file).strip()));
        }
      }
    }
    return pids;
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder("bash", REPO.resolve("scripts/stack.sh").toString(), command)
        .directory(REPO.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Path log = Files.createTempFile(stackDir, "stack-" + command + "-", ".log");
    builder.redirectOutput(log.toFile());
    Process process = builder.start();
    if (!process.waitFor(8, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("stack.sh " + command + " did not finish; output: " + Files.readString(log));
    }
    return new Result(process.exitValue(), Files.readString(log));
  }
}
