package dev.aligntok.trainer.latents;

import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.inference.io.SafetensorsWriter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.inference.image.ImageDecodeException;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.trainer.data.BatchIterator;
import dev.aligntok.trainer.data.BatchSpec;
import dev.aligntok.trainer.data.DataException;
import dev.aligntok.trainer.data.FileImage;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.data.SkipReason;
import dev.aligntok.trainer.data.SkippedImagesReport;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.trainer.eval.TokenizerUnderTest;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import dev.aligntok.inference.console.ProgressLine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bulk latent extraction: encodes a list of images into safetensors shards in the layout
 * LightningDiT's training reads ({@code latents} float32 [n, C, H, W], {@code labels} int64 [n],
 * optionally {@code latents_flip}, the latents of the horizontally flipped images), plus
 * {@code index.json} ({@link LatentIndex}), per-channel statistics and the list of skipped images.
 *
 * <p>Shard {@code k} covers input images {@code [k·S, (k+1)·S)} in input order; its batches never
 * span two shards, so a shard's bytes depend only on its own images, the tokenizer and the batch
 * size, and redoing one shard reproduces it. Each shard is written to a {@code .tmp} file, forced
 * to disk and renamed; then its completion record {@code shard-k.done.json} (SHA-256, rows, ids,
 * skipped images, channel moments) is written the same way. A rerun on the same directory with
 * the same {@link ExtractionConfig} keeps every shard whose file matches its record and redoes
 * the rest (temporary files, shards without a record, truncated or altered shards). The index is
 * written last, so a directory with an index is complete.
 *
 * <p>Images that cannot be read when they are encoded are skipped and listed, never dropped
 * silently: extracted + skipped = input, per shard and in total.
 */
public final class LatentExtractor {
  public static final String INDEX = "index.json";
  public static final String CONFIG = "extraction.json";
  public static final String STATS_JSON = "latent-stats.json";
  public static final String STATS_TENSORS = "latents_stats.safetensors";
  public static final String SKIPPED = "skipped-images.json";
  public static final String LATENTS = "latents";
  public static final String LATENTS_FLIP = "latents_flip";
  public static final String LABELS = "labels";

  static final String TMP = ".tmp";
  private static final Pattern OURS = Pattern.compile(
      "shard-\\d{5}\\.(safetensors|done\\.json)(\\.tmp)?|(index|extraction|latent-stats|skipped-images)\\.json(\\.tmp)?"
          + "|latents_stats\\.safetensors(\\.tmp)?");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final long PROGRESS_EVERY_NANOS = 2_000_000_000L;

  private final TokenizerUnderTest tokenizer;
  private final TokenizerSource source;
  private final PrintStream out;

  /**
   * @param tokenizer encodes [0, 1] images of {@code source.imageSize()} pixels
   * @param source what the tokenizer is, for the index (and for refusing to mix two tokenizers' shards)
   * @param out progress and summary lines
   */
  public LatentExtractor(TokenizerUnderTest tokenizer, TokenizerSource source, PrintStream out) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.out = out;
  }

  /** An extractor for a tokenizer loaded from {@code checkpoint}. */
  public static LatentExtractor of(TrainedTokenizer tokenizer, Path checkpoint, PrintStream out) {
    TokenizerSource described = TokenizerSource.ofCheckpoint(checkpoint);
    int size = tokenizer.tokenizer().config().imageSize();
    if (size != described.imageSize()) {
      throw new IllegalArgumentException("tokenizer encodes " + size + " px images but checkpoint " + checkpoint
          + " says " + described.imageSize());
    }
    return new LatentExtractor(tokenizer, described, out);
  }

  /** The file name of shard {@code k}: {@code shard-00000.safetensors}. */
  public static String shardFile(int shard) {
    return String.format("shard-%05d.safetensors", shard);
  }

  static String doneFile(int shard) {
    return String.format("shard-%05d.done.json", shard);
  }

  /**
   * Fails, before any work, when {@code directory} cannot take this extraction: it holds another
   * extraction (a different {@code extraction.json}) or other files, and {@code overwrite} is off.
   */
  public static void checkOutput(Path directory, ExtractionConfig config, boolean overwrite) {
    if (!Files.exists(directory)) {
      return;
    }
    if (!Files.isDirectory(directory)) {
      throw new IllegalArgumentException("output " + directory + " exists and is not a directory");
    }
    if (overwrite) {
      return;
    }
    Path existing = directory.resolve(CONFIG);
    if (Files.isRegularFile(existing)) {
      JsonNode before;
      try {
        before = JSON.readTree(existing.toFile());
      } catch (IOException e) {
        throw new IllegalArgumentException("output directory " + directory + " has an unreadable " + CONFIG + " ("
            + e.getMessage() + "): pick another --out, or pass --overwrite to replace its latents", e);
      }
      List<String> differences = new ArrayList<>();
      diff("", before, JSON.valueToTree(config), differences);
      if (!differences.isEmpty()) {
        throw new IllegalArgumentException("output directory " + directory + " holds latents of a different extraction ("
            + String.join("; ", differences) + "): pick another --out, or pass --overwrite to replace them");
      }
      return;
    }
    List<String> names = list(directory).stream().map(p -> p.getFileName().toString()).toList();
    if (!names.isEmpty()) {
      throw new IllegalArgumentException("output directory " + directory + " is not empty (" + names.size()
          + " entries, e.g. " + names.get(0) + ") and holds no " + CONFIG
          + ": pick another --out, or pass --overwrite to write latents there anyway");
    }
  }

  /** Encodes {@code input} into {@code directory}, resuming an earlier run of the same extraction. */
  public ExtractionResult extract(ExtractionInput input, Path directory, ExtractionOptions options) {
    long startNanos = System.nanoTime();
    ExtractionConfig config = ExtractionConfig.of(source, input, options, directory);
    checkOutput(directory, config, options.overwrite());
    try {
      Files.createDirectories(directory);
      for (Path path : list(directory)) {
        String name = path.getFileName().toString();
        if (OURS.matcher(name).matches() && (options.overwrite() || name.endsWith(TMP))) {
          Files.delete(path);
        }
      }
      if (!Files.isRegularFile(directory.resolve(CONFIG))) {
        writeJson(directory.resolve(CONFIG), config);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + directory + ": " + e.getMessage(), e);
    }

    int shardCount = config.shardCount();
    List<ShardRecord> records = new ArrayList<>();
    int reusedInputs = 0;
    for (int k = 0; k < shardCount; k++) {
      ShardRecord record = verified(directory, k, config);
      records.add(record);
      if (record != null) {
        reusedInputs += record.inputs();
      }
    }
    long reusedShards = records.stream().filter(r -> r != null).count();
    if (reusedShards < shardCount) {
      try {
        Files.deleteIfExists(directory.resolve(INDEX)); // a directory with an index is complete
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the old index of " + directory + ": " + e.getMessage(), e);
      }
    }
    out.printf("extracting %d images of %s (%s) with %s into %s: %d shard(s) of %d, batch %d, flip %s%n",
        config.inputCount(), input.dataset(), input.split(), source.name(), directory, shardCount, config.shardSize(),
        options.batchSize(), config.flip() ? "on" : "off");
    if (reusedShards > 0) {
      out.printf("resuming: %d of %d shard(s) already complete (checked against their SHA-256)%n", reusedShards, shardCount);
    }

    Progress progress = new Progress(new ProgressLine(out, "latents", reusedInputs, config.inputCount(), "images"),
        reusedInputs, config.inputCount());
    List<String> written = new ArrayList<>();
    List<String> reused = new ArrayList<>();
    int[] shape = knownShape(records);
    for (int k = 0; k < shardCount; k++) {
      if (records.get(k) != null) {
        reused.add(shardFile(k));
        continue;
      }
      ShardRecord record = encodeShard(directory, k, config, input, options, shape, progress);
      records.set(k, record);
      written.add(shardFile(k));
    }
    return finish(directory, config, input, options, records, written, reused, progress.encoded(), startNanos);
  }

  /** The completion record of shard {@code k} when its file matches it, else null (and a line saying why). */
  private ShardRecord verified(Path directory, int k, ExtractionConfig config) {
    Path shard = directory.resolve(shardFile(k));
    Path done = directory.resolve(doneFile(k));
    boolean hasShard = Files.isRegularFile(shard);
    boolean hasDone = Files.isRegularFile(done);
    if (!hasShard && !hasDone) {
      return null;
    }
    String why;
    if (!hasShard) {
      why = "its file is missing";
    } else if (!hasDone) {
      why = "it has no completion record (" + doneFile(k) + ")";
    } else {
      ShardRecord record;
      try {
        record = JSON.readValue(done.toFile(), ShardRecord.class);
      } catch (IOException e) {
        record = null;
      }
      int from = k * config.shardSize();
      int inputs = Math.min(config.inputCount(), from + config.shardSize()) - from;
      if (record == null) {
        why = "its completion record is unreadable";
      } else if (!record.file().equals(shardFile(k)) || record.firstInput() != from || record.inputs() != inputs
          || record.ids().size() != record.rows() || record.rows() + record.skipped().size() != inputs
          || (config.flip() != (record.flips() != null))) {
        why = "its completion record does not fit this extraction";
      } else if (size(shard) != record.bytes() || !Sha256.of(shard).equals(record.sha256())) {
        why = "the file differs from its completion record (size " + size(shard) + " bytes, recorded " + record.bytes()
            + "; damaged or cut short)";
      } else {
        return record;
      }
    }
    out.println(shardFile(k) + ": redoing, " + why);
    return null;
  }

  private ShardRecord encodeShard(Path directory, int k, ExtractionConfig config, ExtractionInput input,
      ExtractionOptions options, int[] shape, Progress progress) {
    int from = k * config.shardSize();
    int to = Math.min(config.inputCount(), from + config.shardSize());
    int size = source.imageSize();
    List<Sample> samples = input.samples().subList(from, to);
    BatchIterator preprocessing = BatchIterator.evaluation(samples, new BatchSpec(options.batchSize(), size,
        Normalization.ZERO_ONE, false));
    List<String> ids = new ArrayList<>();
    List<Long> labels = new ArrayList<>();
    List<SkippedImagesReport.Entry> skipped = new ArrayList<>();
    List<float[]> latentParts = new ArrayList<>();
    List<float[]> flipParts = new ArrayList<>();
    int imageFloats = 3 * size * size;
    for (int b = 0; b < samples.size(); b += options.batchSize()) {
      List<Sample> batch = samples.subList(b, Math.min(samples.size(), b + options.batchSize()));
      float[] pixels = new float[batch.size() * imageFloats];
      int kept = 0;
      for (Sample sample : batch) {
        try {
          ImageTensors.toChw(preprocessing.preprocess(sample), Normalization.ZERO_ONE, pixels, kept * imageFloats);
        } catch (DataException | UncheckedIOException e) {
          skipped.add(skipEntry(sample, e));
          continue;
        }
        ids.add(sample.id());
        labels.add((long) sample.label());
        kept++;
      }
      if (kept > 0) {
        ImageBatch images = new ImageBatch(kept == batch.size() ? pixels : java.util.Arrays.copyOf(pixels, kept * imageFloats),
            kept, size, size);
        latentParts.add(checked(tokenizer.encode(images), kept, shape).values());
        if (config.flip()) {
          flipParts.add(checked(tokenizer.encode(flippedHorizontally(images)), kept, shape).values());
        }
      }
      progress.advance(batch.size());
    }

    int rows = ids.size();
    float[] latents = concat(latentParts);
    float[] flips = config.flip() ? concat(flipParts) : null;
    long[] labelArray = labels.stream().mapToLong(Long::longValue).toArray();
    int c = shape[0];
    int h = shape[1];
    int w = shape[2];
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    tensors.add(SafetensorsWriter.Tensor.f32(LATENTS, latents, rows, c, h, w));
    if (flips != null) {
      tensors.add(SafetensorsWriter.Tensor.f32(LATENTS_FLIP, flips, rows, c, h, w));
    }
    tensors.add(SafetensorsWriter.Tensor.i64(LABELS, labelArray, rows));
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("format", LatentIndex.FORMAT);
    metadata.put("format_version", Integer.toString(LatentIndex.FORMAT_VERSION));
    metadata.put("shard", Integer.toString(k));
    metadata.put("first_input", Integer.toString(from));
    metadata.put("tokenizer", source.name());
    metadata.put("dataset", config.dataset());
    metadata.put("split", config.split());

    Path target = directory.resolve(shardFile(k));
    Path temporary = directory.resolve(shardFile(k) + TMP);
    try {
      Files.deleteIfExists(directory.resolve(doneFile(k)));
      String sha256 = SafetensorsWriter.write(temporary, metadata, tensors);
      Directories.moveAtomically(temporary, target);
      ShardRecord record = new ShardRecord(LatentIndex.FORMAT_VERSION, shardFile(k), from, to - from, rows,
          Files.size(target), sha256, options.batchSize(), c, h, w, ids, skipped,
          ChannelMoments.of(latents, rows, c, h, w), flips == null ? null : ChannelMoments.of(flips, rows, c, h, w));
      writeJson(directory.resolve(doneFile(k)), record);
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  private ExtractionResult finish(Path directory, ExtractionConfig config, ExtractionInput input,
      ExtractionOptions options, List<ShardRecord> records, List<String> written, List<String> reused, int encoded,
      long startNanos) {
    int[] shape = knownShape(records);
    List<LatentIndex.Shard> shards = new ArrayList<>();
    Map<String, LatentIndex.Location> locations = new LinkedHashMap<>();
    ChannelMoments latentMoments = ChannelMoments.empty(shape[0]);
    ChannelMoments flipMoments = ChannelMoments.empty(shape[0]);
    SkippedImagesReport.Builder report = SkippedImagesReport.builder(config.dataset() + " (" + config.split() + ")");
    int readerSkipped = 0;
    if (input.readerSkipped() != null) {
      for (SkippedImagesReport.Entry entry : input.readerSkipped().entries()) {
        report.considered().skip(entry.id(), entry.source(), entry.reason(), entry.detail());
        readerSkipped++;
      }
    }
    int count = 0;
    int extractionSkipped = 0;
    for (int k = 0; k < records.size(); k++) {
      ShardRecord record = records.get(k);
      if (record.rows() > 0 && (record.channels() != shape[0] || record.height() != shape[1] || record.width() != shape[2])) {
        throw new IllegalStateException(record.file() + " holds " + record.channels() + "x" + record.height() + "x"
            + record.width() + " latents but other shards " + shape[0] + "x" + shape[1] + "x" + shape[2]);
      }
      shards.add(new LatentIndex.Shard(record.file(), record.firstInput(), record.inputs(), record.rows(),
          record.bytes(), record.sha256()));
      for (int row = 0; row < record.rows(); row++) {
        locations.put(record.ids().get(row), new LatentIndex.Location(k, row));
      }
      for (int i = 0; i < record.inputs(); i++) {
        report.considered();
      }
      for (SkippedImagesReport.Entry entry : record.skipped()) {
        report.skip(entry.id(), entry.source(), entry.reason(), entry.detail());
      }
      count += record.rows();
      extractionSkipped += record.skipped().size();
      latentMoments = latentMoments.merge(record.latents());
      if (record.flips() != null) {
        flipMoments = flipMoments.merge(record.flips());
      }
    }
    SkippedImagesReport skipped = report.build();
    try {
      skipped.writeJson(directory.resolve(SKIPPED + TMP));
      Directories.moveAtomically(directory.resolve(SKIPPED + TMP), directory.resolve(SKIPPED));
      if (count == 0) {
        throw new DataException("none of the " + config.inputCount() + " images could be read; see "
            + directory.resolve(SKIPPED));
      }
      ChannelMoments all = config.flip() ? latentMoments.merge(flipMoments) : latentMoments;
      float[] mean = all.meanAsFloats();
      float[] std = all.std();
      String over = config.flip()
          ? "latents and latents_flip: " + count + " images x 2 x " + shape[1] + "x" + shape[2] + " positions per channel"
          : "latents: " + count + " images x " + shape[1] + "x" + shape[2] + " positions per channel";
      writeJson(directory.resolve(STATS_JSON), new LatentChannelStats(shape[0], config.flip(), over, all.count(),
          "sample standard deviation (divides by n - 1), as torch.std", mean, std));
      SafetensorsWriter.write(directory.resolve(STATS_TENSORS + TMP), Map.of("format", LatentIndex.FORMAT),
          List.of(SafetensorsWriter.Tensor.f32("mean", mean, 1, shape[0], 1, 1),
              SafetensorsWriter.Tensor.f32("std", std, 1, shape[0], 1, 1)));
      Directories.moveAtomically(directory.resolve(STATS_TENSORS + TMP), directory.resolve(STATS_TENSORS));

      Map<String, String> files = new LinkedHashMap<>();
      files.put("config", CONFIG);
      files.put("stats", STATS_JSON);
      files.put("statsTensors", STATS_TENSORS);
      files.put("skipped", SKIPPED);
      String layout = "each shard: " + LATENTS + " float32 [n, C, H, W]"
          + (config.flip() ? ", " + LATENTS_FLIP + " float32 [n, C, H, W] (latents of the horizontally flipped images)" : "")
          + ", " + LABELS + " int64 [n] (ids into labelNames); rows in input order, unnormalised";
      LatentIndex index = new LatentIndex(LatentIndex.FORMAT, LatentIndex.FORMAT_VERSION, layout, config, count,
          shape[0], shape[1], shape[2], config.flip(), options.batchSize(), shards, input.labelNames(),
          input.labelSynonyms(), new LatentIndex.Skipped(readerSkipped, extractionSkipped, skipped.countsByReason(), SKIPPED),
          files, locations);
      writeJson(directory.resolve(INDEX), index);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the index of " + directory + ": " + e.getMessage(), e);
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? encoded / seconds : 0;
    out.printf("extracted %d latents (%dx%dx%d%s) from %d images into %d shard(s) (%d written, %d reused)%s -> %s; "
            + "%d unreadable skipped%s (listed in %s)%n", count, shape[0], shape[1], shape[2], config.flip() ? ", + flips" : "",
        config.inputCount(), records.size(), written.size(), reused.size(),
        encoded > 0 ? String.format(" at %.1f images/s", rate) : "", directory, extractionSkipped,
        readerSkipped > 0 ? " (and " + readerSkipped + " left out by the dataset reader)" : "", SKIPPED);
    return new ExtractionResult(directory, config.inputCount(), count, extractionSkipped, shape[0], shape[1], shape[2],
        written, reused, seconds, rate);
  }

  /** C, H, W from the first completed shard that has rows; zeros while unknown. */
  private static int[] knownShape(List<ShardRecord> records) {
    for (ShardRecord record : records) {
      if (record != null && record.rows() > 0) {
        return new int[] {record.channels(), record.height(), record.width()};
      }
    }
    return new int[3];
  }

  private LatentBatch checked(LatentBatch latents, int expected, int[] shape) {
    if (latents.count() != expected) {
      throw new IllegalStateException(source.name() + " returned " + latents.count() + " latents for " + expected + " images");
    }
    if (shape[0] == 0) {
      shape[0] = latents.channels();
      shape[1] = latents.height();
      shape[2] = latents.width();
    } else if (latents.channels() != shape[0] || latents.height() != shape[1] || latents.width() != shape[2]) {
      throw new IllegalStateException(source.name() + " returned " + latents.shape() + " latents; earlier ones were "
          + shape[0] + "x" + shape[1] + "x" + shape[2]);
    }
    return latents;
  }

  /** The images mirrored left to right (each row of each channel reversed). */
  static ImageBatch flippedHorizontally(ImageBatch images) {
    float[] source = images.pixels();
    float[] flipped = new float[source.length];
    int width = images.width();
    for (int rowStart = 0; rowStart < source.length; rowStart += width) {
      for (int x = 0; x < width; x++) {
        flipped[rowStart + x] = source[rowStart + width - 1 - x];
      }
    }
    return new ImageBatch(flipped, images.count(), images.height(), width);
  }

  private static SkippedImagesReport.Entry skipEntry(Sample sample, RuntimeException e) {
    SkipReason reason = SkipReason.UNREADABLE_FILE;
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ImageDecodeException decode) {
        reason = SkipReason.of(decode.reason());
        break;
      }
    }
    String where = sample.image() instanceof FileImage file ? file.file().toString() : "sample " + sample.id();
    return new SkippedImagesReport.Entry(sample.id(), where, reason, String.valueOf(e.getMessage()));
  }

  private static float[] concat(List<float[]> parts) {
    int length = 0;
    for (float[] part : parts) {
      length += part.length;
    }
    float[] all = new float[length];
    int at = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  private static void writeJson(Path file, Object value) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + TMP);
    JSON.writeValue(temporary.toFile(), value);
    Directories.moveAtomically(temporary, file);
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private static List<Path> list(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Field-by-field differences of two JSON trees, as "path: before -> now". */
  private static void diff(String path, JsonNode before, JsonNode now, List<String> differences) {
    if (before != null && now != null && before.isObject() && now.isObject()) {
      for (Iterator<String> names = now.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        diff(path.isEmpty() ? name : path + "." + name, before.get(name), now.get(name), differences);
      }
      for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!now.has(name)) {
          differences.add((path.isEmpty() ? name : path + "." + name) + ": " + before.get(name) + " -> (absent)");
        }
      }
    } else if (before == null || !before.equals(now)) {
      differences.add(path + ": " + (before == null ? "(absent)" : before.toString()) + " -> " + now);
    }
  }

  /** Images processed in this run, reported at most every two seconds (and at the end). */
  private static final class Progress {
    private final ProgressLine line;
    private final int total;
    private int done;
    private int encoded;
    private long lastNanos = System.nanoTime();

    Progress(ProgressLine line, int start, int total) {
      this.line = line;
      this.done = start;
      this.total = total;
    }

    void advance(int images) {
      done += images;
      encoded += images;
      long now = System.nanoTime();
      if (now - lastNanos >= PROGRESS_EVERY_NANOS || done >= total) {
        line.update(done, "");
        lastNanos = now;
      }
    }

    int encoded() {
      return encoded;
    }
  }
}
