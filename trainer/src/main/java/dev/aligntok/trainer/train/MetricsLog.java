package dev.aligntok.trainer.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training metrics file ({@code metrics.jsonl}): the trainers append to it through {@link #append}
 * and the charts read it back into series with {@link #read}. The format is JSON Lines, one object per line, each with a numeric
 * {@code step} and any number of numeric fields ({@code {"step": 100, "loss": 0.21, "l1": 0.08}}).
 * Nested objects are flattened with dots ({@code {"loss": {"l1": …}}} → {@code loss.l1}); strings,
 * booleans and nulls are ignored; a field may be missing on some lines (evaluated every N steps).
 * Non-finite values are kept as gaps. A line that is not JSON is an error naming the line —
 * except the last one, which a running trainer may be writing: it is ignored and counted.
 */
public final class MetricsLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One value of a series. */
  public record Point(double step, double value) {}

  private final Map<String, List<Point>> series;
  private final int lines;
  private final boolean ignoredPartialLastLine;

  private MetricsLog(Map<String, List<Point>> series, int lines, boolean ignoredPartialLastLine) {
    this.series = series;
    this.lines = lines;
    this.ignoredPartialLastLine = ignoredPartialLastLine;
  }

  /** Opens {@code file} (and its directory) for appending records: a resumed run continues the same file. */
  public static Writer append(Path file) {
    try {
      Files.createDirectories(file.getParent());
      return new Writer(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open metrics log " + file, e);
    }
  }

  /** Appends one JSON object per line (step, losses, rates); each line is flushed, so a reader sees whole lines. */
  public static final class Writer implements AutoCloseable {
    private final BufferedWriter out;

    private Writer(BufferedWriter out) {
      this.out = out;
    }

    public void write(Map<String, ?> record) {
      try {
        out.write(JSON.writeValueAsString(record));
        out.newLine();
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write metrics", e);
      }
    }

    @Override
    public void close() {
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static MetricsLog read(Path jsonl) {
    List<String> text;
    try {
      text = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read metrics file " + jsonl, e);
    }
    return parse(text, jsonl.toString());
  }

  /** Parses the lines of a metrics file; {@code source} names it in error messages. */
  public static MetricsLog parse(List<String> text, String source) {
    // NaN / Infinity literals allowed: Python's json and diverged runs write them.
    ObjectMapper mapper = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    Map<String, List<Point>> series = new LinkedHashMap<>();
    int lastNonBlank = -1;
    for (int i = 0; i < text.size(); i++) {
      if (!text.get(i).isBlank()) {
        lastNonBlank = i;
      }
    }
    int records = 0;
    boolean ignored = false;
    for (int i = 0; i <= lastNonBlank; i++) {
      String line = text.get(i);
      if (line.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = mapper.readTree(line);
      } catch (JsonProcessingException e) {
        if (i == lastNonBlank) {
          ignored = true;
          break;
        }
        throw new IllegalArgumentException(source + " line " + (i + 1) + " is not JSON: " + e.getOriginalMessage());
      }
      if (node == null || !node.isObject()) {
        throw new IllegalArgumentException(source + " line " + (i + 1) + " is not a JSON object");
      }
      JsonNode step = node.get("step");
      if (step == null || !step.isNumber()) {
        throw new IllegalArgumentException(source + " line " + (i + 1) + " has no numeric 'step' field");
      }
      Map<String, Double> values = new LinkedHashMap<>();
      flatten("", node, values);
      values.remove("step");
      for (Map.Entry<String, Double> entry : values.entrySet()) {
        series.computeIfAbsent(entry.getKey(), key -> new ArrayList<>()).add(new Point(step.asDouble(), entry.getValue()));
      }
      records++;
    }
    if (records == 0) {
      throw new IllegalArgumentException(source + " holds no metrics records");
    }
    Map<String, List<Point>> frozen = new LinkedHashMap<>();
    series.forEach((name, points) -> frozen.put(name, List.copyOf(points)));
    return new MetricsLog(Collections.unmodifiableMap(frozen), records, ignored);
  }

  private static void flatten(String prefix, JsonNode node, Map<String, Double> out) {
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (value.isNumber()) {
        out.put(name, value.asDouble());
      } else if (value.isObject()) {
        flatten(name + ".", value, out);
      } else if (value.isTextual() && (value.asText().equals("NaN") || value.asText().endsWith("Infinity"))) {
        out.put(name, Double.NaN); // a diverged run: keep the gap visible
      }
    }
  }

  /** Series by name, in order of first appearance. */
  public Map<String, List<Point>> series() {
    return series;
  }

  /** One series; fails listing the available names. */
  public List<Point> series(String name) {
    List<Point> points = series.get(name);
    if (points == null) {
      throw new IllegalArgumentException("no series '" + name + "' in the metrics log; it has " + series.keySet());
    }
    return points;
  }

  /** Records read (lines with a step). */
  public int records() {
    return lines;
  }

  /** Whether an unparseable last line (a record being written) was skipped. */
  public boolean ignoredPartialLastLine() {
    return ignoredPartialLastLine;
  }
}
