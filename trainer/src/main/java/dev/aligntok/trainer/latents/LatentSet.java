package dev.aligntok.trainer.latents;

import dev.aligntok.inference.io.Sha256;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.io.SafetensorsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A latent directory written by {@link LatentExtractor}, read whole into memory: what the diffusion
 * trainer trains on. Every shard is checked against the SHA-256 in {@code index.json} before it is
 * used; a missing, damaged or altered shard is an error naming it.
 *
 * <p>Arrays are returned as they are held (not copied): treat them as read-only.
 */
public final class LatentSet {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final LatentIndex index;
  private final float[] latents;
  private final float[] flippedLatents;
  private final int[] labels;
  private final String[] sourceIds;
  private final float[] channelMean;
  private final float[] channelStd;

  private LatentSet(Path directory, LatentIndex index, float[] latents, float[] flippedLatents, int[] labels,
      String[] sourceIds, float[] channelMean, float[] channelStd) {
    this.directory = directory;
    this.index = index;
    this.latents = latents;
    this.flippedLatents = flippedLatents;
    this.labels = labels;
    this.sourceIds = sourceIds;
    this.channelMean = channelMean;
    this.channelStd = channelStd;
  }

  /** Reads and verifies a complete latent directory (one with an {@code index.json}). */
  public static LatentSet read(Path directory) {
    Path indexFile = directory.resolve(LatentExtractor.INDEX);
    if (!Files.isRegularFile(indexFile)) {
      throw new IllegalArgumentException("no " + LatentExtractor.INDEX + " in " + directory
          + ": not a latent directory, or its extraction did not finish (rerun extract-latents with the same options to complete it)");
    }
    LatentIndex index;
    try {
      index = JSON.readValue(indexFile.toFile(), LatentIndex.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + indexFile + ": " + e.getMessage(), e);
    }
    if (!LatentIndex.FORMAT.equals(index.format()) || index.formatVersion() != LatentIndex.FORMAT_VERSION) {
      throw new IllegalArgumentException(indexFile + " is format " + index.format() + " version " + index.formatVersion()
          + "; this reader knows " + LatentIndex.FORMAT + " version " + LatentIndex.FORMAT_VERSION);
    }
    int perLatent = Math.multiplyExact(index.channels(), Math.multiplyExact(index.height(), index.width()));
    long total = (long) index.count() * perLatent;
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(directory + " holds " + total + " latent values, more than one Java array can hold");
    }
    float[] latents = new float[(int) total];
    float[] flips = index.hasFlips() ? new float[(int) total] : null;
    int[] labels = new int[index.count()];
    String[] ids = new String[index.count()];
    int[] shardStart = new int[index.shards().size()];
    int row = 0;
    for (int k = 0; k < index.shards().size(); k++) {
      LatentIndex.Shard shard = index.shards().get(k);
      shardStart[k] = row;
      Path file = directory.resolve(shard.file());
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("shard " + shard.file() + " listed in " + indexFile + " is missing");
      }
      String sha256 = Sha256.of(file);
      if (!sha256.equals(shard.sha256())) {
        throw new IllegalArgumentException("shard " + shard.file() + " in " + directory + " does not match "
            + LatentExtractor.INDEX + " (SHA-256 " + sha256 + ", expected " + shard.sha256()
            + "): it was changed or damaged after extraction; rerun extract-latents on this directory to redo it");
      }
      if (row + shard.rows() > index.count()) {
        throw new IllegalArgumentException(indexFile + " lists more rows in its shards than its count " + index.count());
      }
      try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
        long[] expected = {shard.rows(), index.channels(), index.height(), index.width()};
        copy(tensors, LatentExtractor.LATENTS, expected, latents, row * perLatent);
        if (flips != null) {
          copy(tensors, LatentExtractor.LATENTS_FLIP, expected, flips, row * perLatent);
        }
        long[] shardLabels = tensors.readLongs(requireShape(tensors, LatentExtractor.LABELS, new long[] {shard.rows()}));
        for (int i = 0; i < shardLabels.length; i++) {
          if (shardLabels[i] < 0 || shardLabels[i] >= index.labelNames().size()) {
            throw new IllegalArgumentException(file + ": label " + shardLabels[i] + " at row " + i + " is not one of the "
                + index.labelNames().size() + " label names");
          }
          labels[row + i] = (int) shardLabels[i];
        }
      }
      row += shard.rows();
    }
    if (row != index.count()) {
      throw new IllegalArgumentException(indexFile + " says " + index.count() + " latents but its shards hold " + row);
    }
    for (Map.Entry<String, LatentIndex.Location> sample : index.samples().entrySet()) {
      LatentIndex.Location at = sample.getValue();
      int global = shardStart[at.shard()] + at.row();
      ids[global] = sample.getKey();
    }
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] == null) {
        throw new IllegalArgumentException(indexFile + " names no source id for row " + i);
      }
    }
    float[][] stats = readStats(directory, index.channels());
    return new LatentSet(directory, index, latents, flips, labels, ids, stats[0], stats[1]);
  }

  public Path directory() {
    return directory;
  }

  /** Everything {@code index.json} says (tokenizer, dataset, split, shards, skipped images). */
  public LatentIndex index() {
    return index;
  }

  public int count() {
    return index.count();
  }

  public int channels() {
    return index.channels();
  }

  public int height() {
    return index.height();
  }

  public int width() {
    return index.width();
  }

  /** N×C×H×W floats, row-major, unnormalised, in input order. */
  public float[] latents() {
    return latents;
  }

  /** Latents of the horizontally flipped images, same layout; null when extracted without flips. */
  public float[] flippedLatents() {
    return flippedLatents;
  }

  /** Label id per latent, indexing {@link #labelNames()}. */
  public int[] labels() {
    return labels;
  }

  public List<String> labelNames() {
    return index.labelNames();
  }

  /** Other names of labels (prompts), by label name. */
  public Map<String, List<String>> labelSynonyms() {
    return index.labelSynonyms();
  }

  /** Per-channel mean over the set (including flips when present: see {@code latent-stats.json}). */
  public float[] channelMean() {
    return channelMean;
  }

  /** Per-channel sample standard deviation over the set. */
  public float[] channelStd() {
    return channelStd;
  }

  /** The id of the image whose latent is at {@code row}. */
  public String sourceId(int row) {
    if (row < 0 || row >= sourceIds.length) {
      throw new IndexOutOfBoundsException("row " + row + " of " + sourceIds.length + " latents");
    }
    return sourceIds[row];
  }

  @Override
  public String toString() {
    return "LatentSet(" + directory + ": " + count() + " x " + channels() + "x" + height() + "x" + width()
        + (flippedLatents != null ? " + flips" : "") + ")";
  }

  private static void copy(SafetensorsFile tensors, String name, long[] shape, float[] target, int offset) {
    float[] values = tensors.readFloats(requireShape(tensors, name, shape));
    System.arraycopy(values, 0, target, offset, values.length);
  }

  /** The tensor's name once its shape is checked (a shard without rows may record any C, H, W). */
  private static String requireShape(SafetensorsFile tensors, String name, long[] shape) {
    SafetensorsFile.Entry entry = tensors.entries().get(name);
    if (entry == null) {
      throw new IllegalArgumentException(tensors.path() + " has no tensor '" + name + "'");
    }
    boolean fits = shape[0] == 0 ? entry.elements() == 0 && entry.shape().length == shape.length
        : Arrays.equals(entry.shape(), shape);
    if (!fits) {
      throw new IllegalArgumentException(tensors.path() + ": tensor " + entry + " should have shape " + Arrays.toString(shape));
    }
    return name;
  }

  private static float[][] readStats(Path directory, int channels) {
    Path file = directory.resolve(LatentExtractor.STATS_TENSORS);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(directory + " has no " + LatentExtractor.STATS_TENSORS);
    }
    try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
      long[] shape = {1, channels, 1, 1};
      return new float[][] {tensors.readFloats(requireShape(tensors, "mean", shape)),
          tensors.readFloats(requireShape(tensors, "std", shape))};
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
