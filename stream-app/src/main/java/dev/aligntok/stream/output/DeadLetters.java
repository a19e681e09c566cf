package dev.aligntok.stream.output;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.config.DeadLetterLimits;
import dev.aligntok.stream.records.InputRecord;
import dev.aligntok.stream.records.OutputRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a failed input into its dead letter, bounded by {@link DeadLetterLimits} whatever the input
 * was: the first bytes of the key and value, the headers that fit, every text cut by
 * {@link BoundedText}, and what was left out said in the letter (sizes, the value's SHA-256, how
 * many headers were dropped). When the value is cut and a blob store can be written, the whole
 * value goes there under its SHA-256 (so a replayed failure writes the same blob) and the letter
 * carries its URI.
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  /** Blob keys of whole values: {@code dead-letters/<sha-256>.bin}. */
  static final String BLOB_PREFIX = "dead-letters/";

  private final OutputEncoder<DeadLetter> encoder;
  private final DeadLetterLimits limits;
  private final Optional<BlobStore> blobs;

  /** @param blobs where whole values of cut dead letters go; empty: only the prefix, size and hash are kept */
  public DeadLetters(String topic, Serializer<DeadLetter> serializer, DeadLetterLimits limits,
                     Optional<BlobStore> blobs) {
    // Checked against the bound the limits promise: a letter above it is a bug in the bounds, and
    // failing here beats a RecordTooLargeException that would abort the transaction.
    this.encoder = new OutputEncoder<>(topic, serializer, (int) Math.min(Integer.MAX_VALUE, limits.maxSerializedBytes()));
    this.limits = limits;
    this.blobs = blobs;
  }

  /**
   * The bounded dead letter of {@code input}.
   *
   * @param recordId the image or request id when it could be read, else null
   */
  public DeadLetter letter(InputRecord input, String recordId, FailureStage stage, Throwable error, long nowMs,
                           String applicationId) {
    String errorClass = error.getClass().getName();
    String message = error.getMessage() == null ? errorClass : error.getMessage();
    DeadLetter.Builder letter = DeadLetter.newBuilder()
        .setSourceTopic(input.topic() == null ? "(unknown)" : BoundedText.of(input.topic()))
        .setSourcePartition(input.partition())
        .setSourceOffset(input.offset())
        .setRecordId(BoundedText.of(recordId))
        .setStage(stage)
        .setErrorClass(BoundedText.of(errorClass))
        .setErrorMessage(BoundedText.of(message))
        .setFailedAtMs(Instant.ofEpochMilli(nowMs))
        .setApplicationId(BoundedText.of(applicationId));
    byte[] key = input.key();
    if (key != null) {
      letter.setKey(ByteBuffer.wrap(prefix(key, limits.keyBytes())))
          .setKeySize((long) key.length)
          .setKeyTruncated(key.length > limits.keyBytes());
    }
    byte[] value = input.value();
    if (value != null) {
      boolean cut = value.length > limits.valueBytes();
      String sha256 = Sha256.of(value);
      letter.setValue(ByteBuffer.wrap(prefix(value, limits.valueBytes())))
          .setValueSize((long) value.length)
          .setValueSha256(sha256)
          .setValueTruncated(cut)
          .setValueUri(cut ? storeWhole(sha256, value) : null);
    }
    addHeaders(input.headers(), letter);
    return letter.build();
  }

  /** Serializes a letter made by {@link #letter}. */
  public OutputRecord encode(DeadLetter letter) {
    return encoder.encode(letter, "dead letter of " + letter.getSourceTopic() + "-" + letter.getSourcePartition()
        + "@" + letter.getSourceOffset());
  }

  /** The dead letter's own Kafka key: the input's key as text, cut like any text the service writes. */
  public static String recordKey(InputRecord input) {
    return BoundedText.of(input.keyText());
  }

  /** Headers by name (so a replay keeps the same ones) while their total cost fits the bound. */
  private void addHeaders(Map<String, byte[]> headers, DeadLetter.Builder letter) {
    Map<String, ByteBuffer> kept = new LinkedHashMap<>();
    long used = 0;
    int dropped = 0;
    long droppedBytes = 0;
    for (Map.Entry<String, byte[]> header : new TreeMap<>(headers).entrySet()) {
      long bytes = (long) header.getKey().getBytes(StandardCharsets.UTF_8).length + header.getValue().length;
      long cost = bytes + DeadLetterLimits.HEADER_ENTRY_BYTES;
      if (used + cost <= limits.headerBytes()) {
        kept.put(header.getKey(), ByteBuffer.wrap(header.getValue()));
        used += cost;
      } else {
        dropped++;
        droppedBytes += bytes;
      }
    }
    letter.setHeaders(kept).setDroppedHeaders(dropped).setDroppedHeaderBytes(droppedBytes);
  }

  /** The URI of the whole value in the blob store, or null when there is none or it cannot take the value. */
  private String storeWhole(String sha256, byte[] value) {
    if (blobs.isEmpty()) {
      return null;
    }
    try {
      return blobs.get().write(BLOB_PREFIX + sha256 + ".bin", value).toString();
    } catch (BlobAccessException e) {
      LOG.warn("the whole value of a dead letter ({} bytes, sha-256 {}) could not be stored: {}", value.length, sha256,
          BoundedText.of(e.getMessage()));
      return null;
    }
  }

  private static byte[] prefix(byte[] bytes, int max) {
    return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
  }
}
