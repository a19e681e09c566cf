package dev.aligntok.stream.config;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Bounds on the free-form metadata of a GenerationRequest or an ImageEvent. Metadata is copied onto
 * every output record (each GeneratedImage, each LatentEvent), so without a bound one input could
 * make every output it produces too large to write.
 *
 * @param maxEntries   most key/value pairs
 * @param maxKeyLength longest key, in characters
 * @param maxBytes     largest total of keys and values, in UTF-8 bytes
 */
public record MetadataLimits(int maxEntries, int maxKeyLength, int maxBytes) {
  /** 32 entries, 128-character keys, 8 KiB in all: room for tags and trace ids, far below a record's limit. */
  public static final MetadataLimits DEFAULT = new MetadataLimits(32, 128, 8 * 1024);

  public MetadataLimits {
    if (maxEntries < 0 || maxKeyLength < 1 || maxBytes < 0) {
      throw new IllegalArgumentException("metadata limits need maxEntries >= 0, maxKeyLength >= 1 and maxBytes >= 0, got "
          + maxEntries + ", " + maxKeyLength + ", " + maxBytes);
    }
  }

  /**
   * What is wrong with {@code metadata}, if anything, as a phrase that follows "metadata" and never
   * quotes an over-long key or value. Costs at most one pass over the first {@code maxBytes} characters.
   */
  public Optional<String> problem(Map<String, String> metadata) {
    if (metadata == null) {
      return Optional.empty();
    }
    if (metadata.size() > maxEntries) {
      return Optional.of(String.format(Locale.ROOT, "has %,d entries, more than the limit of %,d",
          metadata.size(), maxEntries));
    }
    long bytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      String key = entry.getKey();
      if (key == null) {
        return Optional.of("has a null key");
      }
      if (key.length() > maxKeyLength) {
        return Optional.of(String.format(Locale.ROOT, "has a key of %,d characters, more than the limit of %,d",
            key.length(), maxKeyLength));
      }
      if (entry.getValue() == null) {
        return Optional.of("has a null value for key '" + key + "'");
      }
      bytes += utf8Length(key, maxBytes - bytes) + utf8Length(entry.getValue(), maxBytes - bytes);
      if (bytes > maxBytes) {
        return Optional.of(String.format(Locale.ROOT, "has more than %,d bytes of keys and values (UTF-8), the limit",
            maxBytes));
      }
    }
    return Optional.empty();
  }

  /**
   * UTF-8 length of {@code text}, or more than {@code budget} as soon as that is certain (every char
   * takes at least one byte), so a huge value is not walked to its end.
   */
  private static long utf8Length(String text, long budget) {
    if (text.length() > budget) {
      return budget + 1;
    }
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
