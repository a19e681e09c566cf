package dev.aligntok.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.inference.io.Directories;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Checkpoints of a training run: {@code <run>/checkpoints/step-00001234/} holding one safetensors
 * file per tensor group (weights, EMA, optimizer moments) and {@code state.json} (step, config,
 * metrics, whatever the stage needs to resume). A checkpoint is written to a temporary directory
 * and renamed, so a crash never leaves one that looks complete; the oldest are pruned.
 */
public final class Checkpoints {
  /** Tensor group of the trained weights, every parameter of the model. */
  public static final String MODEL = "model";
  /**
   * Tensor group of the EMA weights: the parameters that were trained (a stage with a frozen part
   * keeps no average of it). Loaders prefer it to {@link #MODEL} (see {@link #restoreWeights}).
   */
  public static final String EMA = "ema";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String PREFIX = "step-";
  private static final String STATE = "state.json";

  private final Path directory;
  private final int keep;

  public Checkpoints(Path runDirectory, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("must keep at least one checkpoint, got " + keep);
    }
    this.directory = runDirectory.resolve("checkpoints");
    this.keep = keep;
  }

  /** Writes a checkpoint for {@code step}; {@code state} is any Jackson-serialisable object. */
  public Path save(long step, Map<String, NDList> tensorGroups, Object state) {
    Path target = directory.resolve(String.format("%s%08d", PREFIX, step));
    Path temporary = directory.resolve(".tmp-" + target.getFileName());
    try {
      Files.createDirectories(directory);
      Directories.deleteRecursively(temporary);
      Files.createDirectories(temporary);
      for (Map.Entry<String, NDList> group : tensorGroups.entrySet()) {
        try (OutputStream out = Files.newOutputStream(temporary.resolve(group.getKey() + ".safetensors"))) {
          group.getValue().encode(out, NDList.Encoding.SAFETENSORS);
        }
      }
      JSON.writeValue(temporary.resolve(STATE).toFile(), state);
      Directories.deleteRecursively(target);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target);
      }
      prune();
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  /** The run directory a checkpoint directory ({@code <run>/checkpoints/step-N}) belongs to. */
  public static Path runDirectoryOf(Path checkpoint) {
    Path absolute = checkpoint.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null || parent.getParent() == null || !parent.getFileName().toString().equals("checkpoints")) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " is not inside a run's checkpoints/ directory");
    }
    return parent.getParent();
  }

  /** The newest complete checkpoint, if any. */
  public Optional<Path> latest() {
    List<Path> all = complete();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** The file of one tensor group of a checkpoint ({@code model}, {@code ema}, ...). */
  public static Path groupFile(Path checkpoint, String group) {
    return checkpoint.resolve(group + ".safetensors");
  }

  /**
   * The weights a loader uses, as one file: the {@link #EMA} group when the checkpoint has one, else
   * the {@link #MODEL} group (what {@link #restoreWeights} restores last).
   */
  public static Path weightsFile(Path checkpoint) {
    Path ema = groupFile(checkpoint, EMA);
    return Files.isRegularFile(ema) ? ema : groupFile(checkpoint, MODEL);
  }

  /** The name of the group {@link #weightsFile} picks: {@link #EMA} or {@link #MODEL}. */
  public static String weightsGroup(Path checkpoint) {
    return Files.isRegularFile(groupFile(checkpoint, EMA)) ? EMA : MODEL;
  }

  /**
   * Restores the weights to evaluate, sample or export with: the {@link #MODEL} group into every live
   * array, then, when the checkpoint has an {@link #EMA} group, the averaged values over the arrays
   * it holds (it holds only the trained ones; the rest keep the model's values).
   */
  public static void restoreWeights(Path checkpoint, Map<String, NDArray> live, NDManager manager) {
    restoreInto(readTensors(checkpoint, MODEL, manager), live, checkpoint);
    if (EMA.equals(weightsGroup(checkpoint))) {
      NDList saved = readTensors(checkpoint, EMA, manager);
      Map<String, NDArray> averaged = new LinkedHashMap<>();
      live.forEach((name, array) -> {
        if (saved.get(name) != null) {
          averaged.put(name, array);
        }
      });
      restoreInto(saved, averaged, checkpoint);
    }
  }

  /** Reads one tensor group of a checkpoint into {@code manager}. */
  public static NDList readTensors(Path checkpoint, String group, NDManager manager) {
    Path file = groupFile(checkpoint, group);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " has no tensor group '" + group + "' (" + file + ")");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return NDList.decode(manager, in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  public static <T> T readState(Path checkpoint, Class<T> type) {
    Path file = checkpoint.resolve(STATE);
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint state " + file + ": " + e.getMessage(), e);
    }
  }

  /** Copies saved arrays into live ones by name; every live array must be present with the same shape. */
  public static void restoreInto(NDList saved, Map<String, NDArray> live, Path from) {
    for (Map.Entry<String, NDArray> entry : live.entrySet()) {
      NDArray source = saved.get(entry.getKey());
      if (source == null) {
        throw new IllegalArgumentException("checkpoint " + from + " lacks parameter " + entry.getKey());
      }
      if (!source.getShape().equals(entry.getValue().getShape())) {
        throw new IllegalArgumentException("parameter " + entry.getKey() + " has shape " + source.getShape()
            + " in " + from + " but " + entry.getValue().getShape() + " in the model (different config?)");
      }
      entry.getValue().set(source.toByteBuffer());
    }
  }

  /** Names the arrays and collects them into a list for {@link #save}. */
  public static NDList named(Map<String, NDArray> arrays) {
    NDList list = new NDList();
    arrays.forEach((name, array) -> {
      array.setName(name);
      list.add(array);
    });
    return list;
  }

  private List<Path> complete() {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX))
          .filter(p -> Files.isRegularFile(p.resolve(STATE)))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + directory, e);
    }
  }

  private void prune() throws IOException {
    List<Path> all = new ArrayList<>(complete());
    while (all.size() > keep) {
      Directories.deleteRecursively(all.remove(0));
    }
  }

}
