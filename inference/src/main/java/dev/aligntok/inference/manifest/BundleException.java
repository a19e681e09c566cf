package dev.aligntok.inference.manifest;

import java.nio.file.Path;

/**
 * A bundle directory is unusable. The message always names the directory, the file or manifest
 * field, and what was wrong, so an operator can fix the bundle from the log line alone.
 */
public final class BundleException extends RuntimeException {
  private final Path directory;

  public BundleException(Path directory, String where, String problem) {
    this(directory, where, problem, null);
  }

  public BundleException(Path directory, String where, String problem, Throwable cause) {
    super("bundle " + directory + ": " + where + ": " + problem, cause);
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }
}
