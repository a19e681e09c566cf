package dev.aligntok.stream.batch;

import dev.aligntok.stream.records.InputRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of a {@link PendingRecord} in the pending store and its changelog. Internal to the
 * service, so a compact hand-written layout; the leading version byte lets a later layout still
 * read what an older instance left in the changelog.
 */
public final class PendingRecordSerde implements Serde<PendingRecord> {
  private static final byte VERSION = 1;

  @Override
  public Serializer<PendingRecord> serializer() {
    return (topic, record) -> record == null ? null : write(record);
  }

  @Override
  public Deserializer<PendingRecord> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }

  static byte[] write(PendingRecord record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + length(record.input().value()));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      QueueEntry entry = record.entry();
      out.writeLong(entry.sequence());
      out.writeLong(entry.enqueuedAtMs());
      writeText(out, entry.recordId());
      BatchTraits traits = entry.traits();
      out.writeInt(traits.priority());
      out.writeLong(traits.deadlineMs());
      out.writeInt(traits.units());
      writeText(out, traits.compatibility());
      InputRecord input = record.input();
      writeNullableText(out, input.topic());
      out.writeInt(input.partition());
      out.writeLong(input.offset());
      out.writeLong(input.timestampMs());
      writeNullableBytes(out, input.key());
      writeNullableBytes(out, input.value());
      out.writeInt(input.headers().size());
      for (Map.Entry<String, byte[]> header : input.headers().entrySet()) {
        writeText(out, header.getKey());
        writeNullableBytes(out, header.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write pending record " + record.entry().recordId(), e);
    }
    return bytes.toByteArray();
  }

  /**
   * Exactly {@code write(record).length}, computed without copying the payload: what admission
   * compares with the pending store's limit.
   */
  static long serializedSize(PendingRecord record) {
    QueueEntry entry = record.entry();
    InputRecord input = record.input();
    long size = 1 + 8 + 8 + textSize(entry.recordId()) + 4 + 8 + 4 + textSize(entry.traits().compatibility())
        + textSize(input.topic()) + 4 + 8 + 8 + bytesSize(input.key()) + bytesSize(input.value()) + 4;
    for (Map.Entry<String, byte[]> header : input.headers().entrySet()) {
      size += textSize(header.getKey()) + bytesSize(header.getValue());
    }
    return size;
  }

  private static long textSize(String text) {
    return 4 + (text == null ? 0 : utf8Length(text));
  }

  private static long bytesSize(byte[] bytes) {
    return 4 + (bytes == null ? 0 : bytes.length);
  }

  /** UTF-8 length as String.getBytes(UTF_8) gives it (an unpaired surrogate becomes '?', one byte). */
  private static long utf8Length(String text) {
    long length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        length += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        length += 1;
      } else {
        length += 3;
      }
    }
    return length;
  }

  static PendingRecord read(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != VERSION) {
        throw new SerializationException("pending record has layout version " + version + ", this build reads "
            + VERSION + " (was the store written by a newer version of the service?)");
      }
      long sequence = in.readLong();
      long enqueuedAt = in.readLong();
      String recordId = readText(in);
      BatchTraits traits = new BatchTraits(in.readInt(), in.readLong(), in.readInt(), readText(in));
      String topic = readNullableText(in);
      int partition = in.readInt();
      long offset = in.readLong();
      long timestamp = in.readLong();
      byte[] key = readNullableBytes(in);
      byte[] value = readNullableBytes(in);
      int headerCount = in.readInt();
      Map<String, byte[]> headers = new LinkedHashMap<>();
      for (int i = 0; i < headerCount; i++) {
        headers.put(readText(in), readNullableBytes(in));
      }
      return new PendingRecord(new QueueEntry(sequence, enqueuedAt, recordId, traits),
          new InputRecord(topic, partition, offset, timestamp, key, value, headers));
    } catch (IOException e) {
      throw new SerializationException("pending record of " + bytes.length + " bytes is truncated or corrupt", e);
    }
  }

  private static int length(byte[] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  // Text as length-prefixed UTF-8 rather than writeUTF, which cannot hold more than 64 KiB.
  private static void writeText(DataOutputStream out, String text) throws IOException {
    writeNullableBytes(out, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String readText(DataInputStream in) throws IOException {
    String text = readNullableText(in);
    if (text == null) {
      throw new IOException("missing text where one is required");
    }
    return text;
  }

  private static void writeNullableText(DataOutputStream out, String text) throws IOException {
    writeNullableBytes(out, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
  }

  private static String readNullableText(DataInputStream in) throws IOException {
    byte[] bytes = readNullableBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void writeNullableBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.write(bytes);
    }
  }

  private static byte[] readNullableBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }
}
