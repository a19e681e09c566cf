package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.config.BundleRootSettings;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the directory a reload names into a real path under one of the bundle roots, or says why
 * not. The path is canonicalised ({@link Path#toRealPath}) and compared with the roots' real paths,
 * so neither {@code ..} nor a symbolic link leads out of them. Reasons never contain a path: the
 * caller hears what is wrong, the log (at warn) hears where.
 */
@Singleton
final class BundlePaths {
  private static final Logger LOG = LoggerFactory.getLogger(BundlePaths.class);
  private static final int MAX_PATH_CHARS = 4096;

  private final List<Path> roots;

  BundlePaths(BundleRootSettings settings) {
    this.roots = settings.roots();
  }

  /** A requested directory, resolved: the real path, or why it is refused. */
  record Resolved(Path path, String refusal) {
    static Resolved refused(String why) {
      return new Resolved(null, why);
    }
  }

  Resolved resolve(String requested) {
    if (requested.length() > MAX_PATH_CHARS) {
      return Resolved.refused("path is longer than " + MAX_PATH_CHARS + " characters");
    }
    Path path;
    try {
      path = Path.of(requested);
    } catch (InvalidPathException e) {
      return Resolved.refused("path is not a valid path");
    }
    if (!path.isAbsolute()) {
      return Resolved.refused("path must be absolute");
    }
    for (Path name : path) {
      if (name.toString().equals("..")) {
        return Resolved.refused("path must not contain '..'");
      }
    }
    Path real;
    try {
      real = path.toRealPath();
    } catch (IOException | SecurityException e) {
      LOG.warn("bundle reload refused: {} cannot be resolved: {}", path, e.toString());
      return Resolved.refused("no readable directory at that path");
    }
    if (!Files.isDirectory(real)) {
      return Resolved.refused("path is not a directory");
    }
    for (Path root : roots) {
      try {
        Path realRoot = root.toRealPath();
        if (!real.equals(realRoot) && real.startsWith(realRoot)) {
          return new Resolved(real, null);
        }
      } catch (IOException | SecurityException e) {
        LOG.debug("bundle root {} is not usable: {}", root, e.toString());
      }
    }
    LOG.warn("bundle reload refused: {} (real path {}) is under none of the bundle roots {}", path, real, roots);
    return Resolved.refused("path is not under a configured bundle root (aligntok.model.bundle-roots)");
  }
}
