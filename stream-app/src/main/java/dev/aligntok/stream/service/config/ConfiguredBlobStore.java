package dev.aligntok.stream.service.config;

import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.blob.FileBlobStore;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;

/** The service's one blob store, opened from {@link BlobSettings} at start (a bad root fails the start). */
@Singleton
public final class ConfiguredBlobStore {
  private final Optional<BlobStore> store;

  public ConfiguredBlobStore(BlobSettings settings) {
    if (!settings.configured()) {
      this.store = Optional.empty();
      return;
    }
    try {
      this.store = Optional.of(new FileBlobStore(settings.allowedRoots().stream().map(Path::of).toList(),
          settings.outputRoot() == null ? null : Path.of(settings.outputRoot())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("aligntok.blob: " + e.getMessage(), e);
    }
  }

  /** Empty when {@code aligntok.blob.*} configures nothing. */
  public Optional<BlobStore> get() {
    return store;
  }
}
