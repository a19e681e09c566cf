package dev.aligntok.benchmarks.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.benchmarks.BenchCommandLine;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.text.TextEncoder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the text encoder costs per prompt: {@code TextEncoder.embed} on batches of prompts of a
 * typical length, median over rounds after a warm-up, on the CPU provider.
 */
@Command(name = "text", mixinStandardHelpOptions = true,
    description = "Times the text encoder (all-MiniLM-L6-v2, TextEncoder.embed) on the CPU: milliseconds per prompt "
        + "for each batch size, median over --rounds after 3 warm-up rounds. Writes JSON to --out. "
        + "A benchmark, not a test: run it on a quiet machine.")
public final class TextEncoderBench implements Callable<Integer> {
  private static final int WARM_UP = 3;
  /** Prompts of the lengths users type: a few words to a sentence. */
  private static final List<String> PROMPTS = List.of("a smiling cat wearing sunglasses", "a red car on the moon",
      "an emoji of face smiling", "a family with two children at the beach in the evening", "fireworks",
      "a drawing of a green apple in the rain", "the flag of a country", "a robot holding a flower");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--batch-sizes", split = ",", defaultValue = "1,8,32",
      description = "Prompts per embed call (default: ${DEFAULT-VALUE}).")
  List<Integer> batchSizes;

  @Option(names = "--rounds", defaultValue = "20", description = "Measured rounds per batch size (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--out", paramLabel = "FILE", defaultValue = "runs/bench/text-encoder.json",
      description = "JSON result (default: ${DEFAULT-VALUE}).")
  Path out;

  public static void main(String[] args) {
    System.exit(BenchCommandLine.of(new TextEncoderBench(), "text").execute(args));
  }

  @Override
  public Integer call() throws IOException {
    if (rounds < 1 || threads < 1 || batchSizes.stream().anyMatch(size -> size < 1 || size > 4096)) {
      throw new IllegalArgumentException("--rounds and --threads must be at least 1, batch sizes within 1..4096");
    }
    RuntimeOptions cpu = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(threads, 1);
    PrintWriter console = spec.commandLine().getOut();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("command", BenchCommandLine.typedCommand(TextEncoderBench.class, spec.commandLine().getParseResult().originalArgs()));
    List<Map<String, Object>> points = new ArrayList<>();
    try (TextEncoder encoder = TextEncoder.open(cpu)) {
      result.put("model", encoder.artifact().coordinates());
      result.put("batchInvariant", encoder.artifact().batchInvariant());
      result.put("threads", threads);
      for (int size : batchSizes) {
        List<String> batch = batch(size);
        double[] msPerPrompt = new double[rounds];
        for (int round = -WARM_UP; round < rounds; round++) {
          long start = System.nanoTime();
          encoder.embed(batch);
          if (round >= 0) {
            msPerPrompt[round] = (System.nanoTime() - start) / 1e6 / size;
          }
        }
        Arrays.sort(msPerPrompt);
        double median = msPerPrompt[rounds / 2];
        points.add(Map.of("batchSize", size, "msPerPromptMedian", median, "msPerPromptMin", msPerPrompt[0]));
        console.printf(Locale.ROOT, "batch %4d: %.2f ms per prompt (median of %d; min %.2f)%n", size, median, rounds,
            msPerPrompt[0]);
        console.flush();
      }
    }
    result.put("points", points);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    console.println("→ " + out);
    return 0;
  }

  private static List<String> batch(int size) {
    List<String> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(PROMPTS.get(i % PROMPTS.size()));
    }
    return batch;
  }
}
