package dev.aligntok.stream.generate;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.config.GenerateConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a generated PNG travels: inline in the GeneratedImage, or, above the threshold, in the blob
 * store with only its URI on the event (so large images stay out of Kafka's records). The blob key
 * depends only on the request id and index: a batch replayed after a crash rewrites the same blob.
 */
final class PngPlacement {
  /** Room for the readable part of a key; file names are limited to 255 bytes. */
  private static final int READABLE_ID_CHARS = 100;

  private final Optional<BlobStore> blobs;
  private final long thresholdBytes;

  PngPlacement(Optional<BlobStore> blobs, long thresholdBytes) {
    if (thresholdBytes != GenerateConfig.ALWAYS_INLINE && blobs.isEmpty()) {
      throw new IllegalArgumentException("generated images above " + thresholdBytes + " bytes go to the blob store,"
          + " but none is configured (aligntok.blob.output-root)");
    }
    this.blobs = blobs;
    this.thresholdBytes = thresholdBytes;
  }

  /**
   * Sets the image's png, or its uri after writing the PNG to the blob store.
   *
   * @throws BlobAccessException when the blob cannot be written
   */
  void place(GeneratedImage.Builder image, String requestId, int index, byte[] png) {
    if (png.length <= thresholdBytes) {
      image.setPng(ByteBuffer.wrap(png)).setUri(null);
      return;
    }
    image.setPng(null).setUri(blobs.orElseThrow().write(key(requestId, index), png).toString());
  }

  /**
   * {@code <id, percent-encoded, at most 100 chars>-<16 hex digits of its SHA-256>/<index>.png}:
   * readable, safe as a path whatever the id holds, and distinct for distinct ids.
   */
  static String key(String requestId, int index) {
    StringBuilder readable = new StringBuilder();
    for (byte b : requestId.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      readable.append(plain ? String.valueOf(c) : String.format("%%%02X", b & 0xFF));
    }
    String prefix = readable.length() > READABLE_ID_CHARS ? readable.substring(0, READABLE_ID_CHARS) : readable.toString();
    return prefix + "-" + Sha256.of(requestId).substring(0, 16) + "/" + index + ".png";
  }
}
