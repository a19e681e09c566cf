package dev.aligntok.stream.runtime;

import java.nio.file.Path;

/** A hot reload refused a bundle; the bundle in service stays in service. */
public final class BundleRejectedException extends RuntimeException {
  private final Path rejected;
  private final String keptBundleId;

  BundleRejectedException(Path rejected, String keptBundleId, String reason, Throwable cause) {
    super("bundle " + rejected + " rejected, still serving " + keptBundleId + ": " + reason, cause);
    this.rejected = rejected;
    this.keptBundleId = keptBundleId;
  }

  public Path rejected() {
    return rejected;
  }

  /** Id of the bundle that stays in service. */
  public String keptBundleId() {
    return keptBundleId;
  }
}
