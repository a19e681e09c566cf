package dev.aligntok.inference.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file from plain Java arrays, streaming, with a fixed header order
 * ({@code __metadata__}, then the tensors as given), the header padded to 8 bytes as the reference
 * implementation does, and the data forced to disk before returning. Returns the file's SHA-256.
 *
 * <p>Not DJL's {@code NDList.encode}: that needs an engine for plain arrays, has no metadata and
 * int offsets (2 GiB), and orders the header by a hash map. {@link SafetensorsFile} reads what
 * this writes; DJL and Python's {@code safetensors} read it too.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 1 << 16;

  /** One tensor: F32 from {@code floats} or I64 from {@code longs} (exactly one is set). */
  public record Tensor(String name, long[] shape, float[] floats, long[] longs) {
    public Tensor {
      long elements = 1;
      for (long d : shape) {
        elements *= d;
      }
      long length = floats != null ? floats.length : longs.length;
      if ((floats == null) == (longs == null) || length != elements) {
        throw new IllegalArgumentException("tensor " + name + ": " + length + " values for shape "
            + java.util.Arrays.toString(shape));
      }
    }

    public static Tensor f32(String name, float[] values, long... shape) {
      return new Tensor(name, shape, values, null);
    }

    public static Tensor i64(String name, long[] values, long... shape) {
      return new Tensor(name, shape, null, values);
    }

    String dtype() {
      return floats != null ? "F32" : "I64";
    }

    long bytes() {
      return floats != null ? 4L * floats.length : 8L * longs.length;
    }
  }

  private SafetensorsWriter() {}

  /** Writes (replacing) {@code file} and returns the SHA-256 of its bytes, lower-case hex. */
  public static String write(Path file, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    if (!metadata.isEmpty()) {
      header.put("__metadata__", metadata);
    }
    long offset = 0;
    for (Tensor tensor : tensors) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("dtype", tensor.dtype());
      entry.put("shape", tensor.shape());
      entry.put("data_offsets", new long[] {offset, offset + tensor.bytes()});
      header.put(tensor.name(), entry);
      offset += tensor.bytes();
    }
    byte[] json = JSON.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    MessageDigest sha = Sha256.newDigest();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
      buffer.putLong(padded);
      for (int i = 0; i < padded; i++) {
        if (!buffer.hasRemaining()) {
          drain(buffer, channel, sha);
        }
        buffer.put(i < json.length ? json[i] : (byte) ' ');
      }
      for (Tensor tensor : tensors) {
        if (tensor.floats() != null) {
          for (float value : tensor.floats()) {
            if (buffer.remaining() < 4) {
              drain(buffer, channel, sha);
            }
            buffer.putFloat(value);
          }
        } else {
          for (long value : tensor.longs()) {
            if (buffer.remaining() < 8) {
              drain(buffer, channel, sha);
            }
            buffer.putLong(value);
          }
        }
      }
      drain(buffer, channel, sha);
      channel.force(true);
    }
    return Sha256.hex(sha.digest());
  }

  private static void drain(ByteBuffer buffer, FileChannel channel, MessageDigest sha) throws IOException {
    buffer.flip();
    sha.update(buffer.duplicate());
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    buffer.clear();
  }
}
