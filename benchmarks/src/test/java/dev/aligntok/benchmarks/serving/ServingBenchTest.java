package dev.aligntok.benchmarks.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.benchmarks.BenchCommandLine;
import dev.aligntok.trainer.cli.AlignTokCli;
import dev.aligntok.trainer.diffusion.TinyDiT;
import dev.aligntok.trainer.latents.TinyTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The serving benchmark on a tiny exported bundle: every point measured in both engines, both reports written. */
class ServingBenchTest {

  @Test
  void theBundleBenchmarksInOnnxRuntimeAndDjl(@TempDir Path dir) throws Exception {
    Path run = TinyDiT.train(dir, 4);
    Path cache = TinyTokenizer.nsfwjs().getParent().getParent().getParent();
    Path out = dir.resolve("bundles/tiny");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int exit = AlignTokCli.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true)).execute("export",
        "--cache", cache.toString(), "--dit", run.toString(), "--tokenizer", TinyTokenizer.checkpoint().toString(),
        "--out", out.toString(), "--name", "tiny", "--steps", "5");
    assertEquals(0, exit, stderr.toString());

    Path bench = dir.resolve("bench");
    CommandLine command = BenchCommandLine.of(new ServingBench(), "serving-bench");
    command.setOut(new PrintWriter(stdout, true));
    command.setErr(new PrintWriter(stderr, true));
    exit = command.execute("--cache", cache.toString(), "--bundle", out.toString(), "--dit", run.toString(),
        "--tokenizer", TinyTokenizer.checkpoint().toString(), "--batch-sizes", "1,2", "--seconds", "0.01",
        "--generate-steps", "2", "--out", bench.toString());
    assertEquals(0, exit, stderr.toString());
    JsonNode points = new ObjectMapper().readTree(bench.resolve("bench.json").toFile()).path("report").path("points");
    assertEquals(12, points.size(), "encode/decode/generate × ORT/DJL × 2 batch sizes");
    for (JsonNode point : points) {
      assertTrue(point.path("calls").asInt() >= 2 && point.path("seconds").asDouble() > 0, point.toString());
    }
    assertTrue(Files.readString(bench.resolve("bench.md")).contains("| generate | 2 |"));
  }

  @Test
  void twoBundlesAreComparedInAlternatingRoundsAtEachStepsAndBatch(@TempDir Path dir) throws Exception {
    Path run = TinyDiT.train(dir, 4);
    Path cache = TinyTokenizer.nsfwjs().getParent().getParent().getParent();
    Path out = dir.resolve("bundles/tiny");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int exit = AlignTokCli.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true)).execute("export",
        "--cache", cache.toString(), "--dit", run.toString(), "--tokenizer", TinyTokenizer.checkpoint().toString(),
        "--out", out.toString(), "--name", "tiny", "--steps", "5");
    assertEquals(0, exit, stderr.toString());

    Path bench = dir.resolve("compare");
    CommandLine command = BenchCommandLine.of(new ServingBench(), "serving-bench");
    command.setOut(new PrintWriter(stdout, true));
    command.setErr(new PrintWriter(stderr, true));
    exit = command.execute("--bundle", out.toString(), "--compare", out.toString(), "--compare-steps", "1,3",
        "--batch-sizes", "2", "--rounds", "3", "--seconds", "0.01", "--threads", "1", "--out", bench.toString());
    assertEquals(0, exit, stderr.toString());
    JsonNode report = new ObjectMapper().readTree(bench.resolve("bench.json").toFile());
    JsonNode points = report.path("points");
    assertEquals(2, points.size(), "steps 1 and 3 × batch 2");
    assertEquals(3, points.get(1).path("steps").asInt());
    for (JsonNode point : points) {
      assertEquals(3, point.path("roundsA").size(), point.toString());
      assertEquals(3, point.path("roundsB").size(), point.toString());
      assertTrue(point.path("roundsB").get(2).path("calls").asInt() >= 1, point.toString());
      assertTrue(point.path("ratioBOverA").asDouble() > 0, point.toString());
    }
    assertTrue(Files.readString(bench.resolve("bench.md")).contains("| 3 | 2 |"), Files.readString(bench.resolve("bench.md")));
  }

  @Test
  void theCompareModeRefusesZeroRounds(@TempDir Path dir) {
    StringWriter stderr = new StringWriter();
    CommandLine command = BenchCommandLine.of(new ServingBench(), "serving-bench");
    command.setErr(new PrintWriter(stderr, true));
    int exit = command.execute("--compare", dir.toString(), "--rounds", "0", "--out", dir.resolve("out").toString());
    assertTrue(exit != 0);
    assertTrue(stderr.toString().contains("--rounds"), stderr.toString());
  }
}
