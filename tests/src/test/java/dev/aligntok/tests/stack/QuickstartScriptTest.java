package dev.aligntok.tests.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ./quickstart --instances N}'s checks, which run before anything is built or started. The
 * multi-instance run itself (a build, the stack, N service JVMs) is too heavy for the suite; its
 * manual run is in the README ("Several instances").
 */
class QuickstartScriptTest {
  private static final Path REPO = Path.of(System.getProperty("aligntok.repo.root", "..")).toAbsolutePath().normalize();

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(List.of("--instances", "0"), Map.of(), "from 1 to 6"),
        Arguments.of(List.of("--instances", "7"), Map.of(), "from 1 to 6, the partition count of the input topics (got '7')"),
        Arguments.of(List.of("--instances", "two"), Map.of(), "(got 'two')"),
        Arguments.of(List.of("--instances="), Map.of(), "(got '')"),
        Arguments.of(List.of("--instances"), Map.of(), "--instances needs a number"),
        Arguments.of(List.of("--instances", "13"), Map.of("ALIGNTOK_TOPICS_PARTITIONS", "12"), "from 1 to 12"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void aBadInstanceCountIsRefusedBeforeAnythingStarts(List<String> args, Map<String, String> env, String expected,
                                                      @TempDir Path work) throws Exception {
    Path out = work.resolve("out");
    List<String> command = new ArrayList<>(List.of("--out", out.toString()));
    command.addAll(args);
    Result result = run(command, env);
    assertEquals(2, result.exitCode(), result.output());
    assertTrue(result.output().contains(expected), "expected '" + expected + "' in: " + result.output());
    assertFalse(Files.exists(out), "a refused run must not even create its output folder");
  }

  @Test
  void helpDocumentsInstances() throws Exception {
    Result help = run(List.of("--help"), Map.of());
    assertEquals(0, help.exitCode(), help.output());
    assertTrue(help.output().contains("--instances N"), help.output());
    assertTrue(help.output().contains("application.server"), help.output());
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(REPO.resolve("quickstart").toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
    builder.environment().remove("ALIGNTOK_TOPICS_PARTITIONS");
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("./quickstart " + args + " did not exit within 30 s");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
