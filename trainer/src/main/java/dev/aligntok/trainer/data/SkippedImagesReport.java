package dev.aligntok.trainer.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every image a reader considered but left out, with the reason: training never silently drops
 * data. Readers return it with the samples ({@link ImageDataset#skipped()}); training writes it
 * next to its outputs with {@link #writeJson(Path)}.
 */
public final class SkippedImagesReport {
  /**
   * One skipped image.
   *
   * @param id the sample id it would have had
   * @param source the file (or metadata entry) it came from
   * @param reason why it was skipped
   * @param detail the underlying error message
   */
  public record Entry(String id, String source, SkipReason reason, String detail) {}

  private final String dataset;
  private final int considered;
  private final List<Entry> entries;

  private SkippedImagesReport(String dataset, int considered, List<Entry> entries) {
    this.dataset = dataset;
    this.considered = considered;
    this.entries = List.copyOf(entries);
  }

  public static Builder builder(String dataset) {
    return new Builder(dataset);
  }

  /** A report for a dataset where nothing could be skipped (idx arrays are all-or-nothing). */
  public static SkippedImagesReport none(String dataset, int considered) {
    return new SkippedImagesReport(dataset, considered, List.of());
  }

  public String dataset() {
    return dataset;
  }

  /** How many images the reader looked at (kept + skipped). */
  public int considered() {
    return considered;
  }

  public int skippedCount() {
    return entries.size();
  }

  public List<Entry> entries() {
    return entries;
  }

  public Map<SkipReason, Integer> countsByReason() {
    Map<SkipReason, Integer> counts = new EnumMap<>(SkipReason.class);
    entries.forEach(entry -> counts.merge(entry.reason(), 1, Integer::sum));
    return counts;
  }

  /** One line: "emoji-google: 3786 images considered, 2 skipped (CORRUPT 1, MISSING_FILE 1)". */
  public String summary() {
    StringBuilder text = new StringBuilder(dataset).append(": ").append(considered)
        .append(" images considered, ").append(entries.size()).append(" skipped");
    if (!entries.isEmpty()) {
      List<String> parts = new ArrayList<>();
      countsByReason().forEach((reason, count) -> parts.add(reason + " " + count));
      text.append(" (").append(String.join(", ", parts)).append(')');
    }
    return text.toString();
  }

  /** Writes the report as JSON (dataset, counts, every entry), creating parent directories. */
  public void writeJson(Path file) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("dataset", dataset);
    json.put("considered", considered);
    json.put("kept", considered - entries.size());
    json.put("skipped", entries.size());
    json.put("skippedByReason", countsByReason());
    json.put("entries", entries);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
  }

  @Override
  public String toString() {
    return summary();
  }

  /** Counts images as a reader goes and records the ones it skips. */
  public static final class Builder {
    private final String dataset;
    private final List<Entry> entries = new ArrayList<>();
    private int considered;

    private Builder(String dataset) {
      this.dataset = dataset;
    }

    /** Counts one image the reader looked at, kept or not. */
    public Builder considered() {
      considered++;
      return this;
    }

    /** Records a skipped image (call {@link #considered()} for it too). */
    public Builder skip(String id, String source, SkipReason reason, String detail) {
      entries.add(new Entry(id, source, reason, detail));
      return this;
    }

    public SkippedImagesReport build() {
      return new SkippedImagesReport(dataset, considered, entries);
    }
  }
}
