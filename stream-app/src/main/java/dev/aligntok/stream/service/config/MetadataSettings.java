package dev.aligntok.stream.service.config;

import dev.aligntok.stream.config.MetadataLimits;
import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * Bounds on the metadata of generation requests and image events ({@code aligntok.metadata.*}),
 * which is copied onto every output record.
 *
 * @param maxEntries   most key/value pairs
 * @param maxKeyLength longest key, in characters
 * @param maxBytes     largest total of keys and values, in UTF-8 bytes
 */
@ConfigurationProperties("aligntok.metadata")
public record MetadataSettings(int maxEntries, int maxKeyLength, int maxBytes) {
  public MetadataSettings {
    Settings.requireAtLeast("aligntok.metadata.max-entries", maxEntries, 0);
    Settings.requireAtLeast("aligntok.metadata.max-key-length", maxKeyLength, 1);
    Settings.requireAtLeast("aligntok.metadata.max-bytes", maxBytes, 0);
  }

  public MetadataLimits limits() {
    return new MetadataLimits(maxEntries, maxKeyLength, maxBytes);
  }
}
