package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code POST /v1/admin/bundle} may load bundles from ({@code aligntok.model.bundle-roots},
 * comma-separated in a variable): directories whose subdirectories are bundles. Default: the
 * directory holding the configured bundle ({@code aligntok.model.bundle-path}'s parent), where a
 * deployment mounts its bundles side by side.
 *
 * @param bundlePath  the bundle served at start (only its parent is used, as the default root)
 * @param bundleRoots absolute directories; none means the default
 */
@ConfigurationProperties("aligntok.model")
public record BundleRootSettings(@Nullable String bundlePath, @Nullable List<String> bundleRoots) {
  public BundleRootSettings {
    bundlePath = Settings.blankToNull(bundlePath);
    bundleRoots = bundleRoots == null ? List.of()
        : bundleRoots.stream().map(String::strip).filter(root -> !root.isEmpty()).toList();
    for (String root : bundleRoots) {
      if (!Path.of(root).isAbsolute()) {
        throw new IllegalArgumentException("aligntok.model.bundle-roots must list absolute directories, got " + root);
      }
    }
  }

  /** The roots in force: those configured, else the configured bundle's parent (none when that is unset). */
  public List<Path> roots() {
    if (!bundleRoots.isEmpty()) {
      return bundleRoots.stream().map(Path::of).toList();
    }
    Path parent = bundlePath == null ? null : Path.of(bundlePath).toAbsolutePath().getParent();
    return parent == null ? List.of() : List.of(parent);
  }
}
