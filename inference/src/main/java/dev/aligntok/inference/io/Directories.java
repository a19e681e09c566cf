package dev.aligntok.inference.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** File-tree chores shared by the trainer, the exporter and the runtime. */
public final class Directories {
  private Directories() {}

  /** Deletes {@code path} and everything below it (children first); a missing path is not an error. */
  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * {@code target} relative to the directory {@code base}, with {@code /} separators: how a file
   * written into {@code base} records where another file is without naming the machine
   * ({@code ../../runs/x/checkpoints/step-00000100}). A reader finds the target again with
   * {@link #resolveRecorded}. Where no relative path exists (another file-system root) it is the
   * absolute path.
   */
  public static String relativePath(Path base, Path target) {
    Path from = base.toAbsolutePath().normalize();
    Path to = target.toAbsolutePath().normalize();
    try {
      Path relative = from.relativize(to);
      return relative.toString().isEmpty() ? "." : relative.toString().replace(java.io.File.separatorChar, '/');
    } catch (IllegalArgumentException differentRoots) {
      return to.toString();
    }
  }

  /**
   * The path a file in {@code base} recorded with {@link #relativePath}; an absolute recorded path
   * (as written before paths were relative) is returned as it is.
   */
  public static Path resolveRecorded(Path base, String recorded) {
    return base.resolve(recorded).normalize();
  }

  /**
   * Moves {@code from} over {@code to} in one step where the filesystem can, so that a reader sees
   * the old file or the new one, never half of one; elsewhere a plain replacing move.
   */
  public static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
