package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * The file blob store ({@code aligntok.blob.*}); see {@link dev.aligntok.stream.blob.FileBlobStore}.
 * With neither set there is no blob store: images given by URI are refused and generated images
 * stay inline.
 *
 * @param allowedRoots directories ImageEvent URIs ({@code file:///...}) may point into (comma-separated
 *     in an environment variable); empty: URIs are refused
 * @param outputRoot   directory generated images above {@code aligntok.generate.blob-threshold-bytes}
 *     are written to (readable too); with several instances, a volume all of them mount at the same path
 */
@ConfigurationProperties("aligntok.blob")
public record BlobSettings(@Nullable List<String> allowedRoots, @Nullable String outputRoot) {
  public BlobSettings {
    allowedRoots = allowedRoots == null ? List.of()
        : allowedRoots.stream().map(String::strip).filter(root -> !root.isEmpty()).toList();
    outputRoot = Settings.blankToNull(outputRoot);
  }

  public boolean configured() {
    return !allowedRoots.isEmpty() || outputRoot != null;
  }
}
