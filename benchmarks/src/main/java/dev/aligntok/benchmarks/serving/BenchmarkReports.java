package dev.aligntok.benchmarks.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes a benchmark report as {@value #JSON} (every point) and {@value #MARKDOWN} (the table), with how it was made. */
public final class BenchmarkReports {
  public static final String JSON = "bench.json";
  public static final String MARKDOWN = "bench.md";
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchmarkReports() {}

  /** @param command the command as typed, recorded with the results */
  public static void write(Path dir, String bundleId, RuntimeBenchmark.Report report, String command) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", command);
    json.put("bundle", bundleId);
    json.put("measuredAt", Instant.now().toString());
    json.put("cpus", Runtime.getRuntime().availableProcessors());
    json.put("report", report);
    MAPPER.writeValue(dir.resolve(JSON).toFile(), json);
    Files.writeString(dir.resolve(MARKDOWN), "Command: `" + command + "`, bundle " + bundleId
        + ", " + Runtime.getRuntime().availableProcessors() + " CPUs.\n\n" + markdownOf(report));
  }

  public static String markdownOf(RuntimeBenchmark.Report report) {
    return BenchmarkTable.markdown(report);
  }
}
