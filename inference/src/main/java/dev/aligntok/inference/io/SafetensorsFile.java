package dev.aligntok.inference.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads tensors from a safetensors file one at a time, converting F32, F16, BF16 and F64 to
 * float32, and I64/I32 to long. DJL's {@code NDList.decode} reads the same format, but it reads the
 * whole file into one byte array with int offsets (so files over 2 GiB fail), keeps every tensor in
 * memory at once, and reports a damaged file only as "Malformed data"; this reader validates the
 * header against the file and names the file and tensor in every error. The counterpart of
 * {@link SafetensorsWriter}.
 *
 * <p>Format: 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the data; offsets are relative to the start of the data.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** The format's own limit on the header size (100 MB). */
  private static final long MAX_HEADER = 100_000_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One tensor's entry in the header. */
  public record Entry(String name, String dtype, long[] shape, long begin, long end) {
    public long elements() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape);
    }
  }

  private final Path path;
  private final FileChannel channel;
  private final long dataStart;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries, Map<String, String> metadata) {
    this.path = path;
    this.channel = channel;
    this.dataStart = dataStart;
    this.entries = entries;
    this.metadata = metadata;
  }

  /** Opens the file and validates its header (every tensor's dtype, shape and byte range). */
  public static SafetensorsFile open(Path path) {
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open safetensors file " + path + ": " + e, e);
    }
    try {
      long size = size(channel, path);
      if (size < 8) {
        throw bad(path, "only " + size + " bytes, too short for the 8-byte header length");
      }
      ByteBuffer lengthBytes = readFully(channel, 0, 8, path).order(ByteOrder.LITTLE_ENDIAN);
      long headerLength = lengthBytes.getLong();
      if (headerLength <= 1 || headerLength > MAX_HEADER || headerLength > size - 8) {
        throw bad(path, "header length " + headerLength + " is impossible for a file of " + size
            + " bytes (not a safetensors file, or damaged)");
      }
      ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength, path);
      String header = StandardCharsets.UTF_8.decode(headerBytes).toString();
      JsonNode root;
      try {
        root = JSON.readTree(header);
      } catch (JsonProcessingException e) {
        throw bad(path, "header is not valid JSON (" + e.getOriginalMessage() + ")");
      }
      if (root == null || !root.isObject()) {
        throw bad(path, "header is not a JSON object");
      }
      long dataStart = 8 + headerLength;
      Map<String, Entry> entries = new LinkedHashMap<>();
      Map<String, String> metadata = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getKey().equals("__metadata__")) {
          field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        entries.put(field.getKey(), entry(path, field.getKey(), field.getValue(), size - dataStart));
      }
      checkNoOverlap(path, entries);
      return new SafetensorsFile(path, channel, dataStart, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    } catch (RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  public Path path() {
    return path;
  }

  /** Tensor entries by name, in header order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  /** The tensor's values as float32, row-major. */
  public float[] readFloats(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(path + " has no tensor '" + name + "'");
    }
    long count = entry.elements();
    if (count > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor " + entry + " in " + path + " has too many elements for one Java array");
    }
    int n = (int) count;
    float[] values = new float[n];
    ByteBuffer bytes = readFully(channel, dataStart + entry.begin(), Math.toIntExact(entry.end() - entry.begin()), path)
        .order(ByteOrder.LITTLE_ENDIAN);
    switch (entry.dtype()) {
      case "F32" -> bytes.asFloatBuffer().get(values);
      case "F64" -> {
        for (int i = 0; i < n; i++) {
          values[i] = (float) bytes.getDouble();
        }
      }
      case "BF16" -> {
        for (int i = 0; i < n; i++) {
          values[i] = Float.intBitsToFloat((bytes.getShort() & 0xffff) << 16);
        }
      }
      case "F16" -> {
        for (int i = 0; i < n; i++) {
          values[i] = halfToFloat(bytes.getShort());
        }
      }
      default -> throw new IllegalArgumentException("tensor " + entry + " in " + path
          + " is not floating point (F32, F16, BF16 or F64 expected)");
    }
    return values;
  }

  /** An integer tensor's values (I64 or I32) as longs, row-major: class labels, token ids. */
  public long[] readLongs(String name) {
    Entry entry = entries.get(name);
    if (entry == null) {
      throw new IllegalArgumentException(path + " has no tensor '" + name + "'");
    }
    if (entry.elements() > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("tensor " + entry + " in " + path + " has too many elements for one Java array");
    }
    int n = (int) entry.elements();
    long[] values = new long[n];
    ByteBuffer bytes = readFully(channel, dataStart + entry.begin(), Math.toIntExact(entry.end() - entry.begin()), path)
        .order(ByteOrder.LITTLE_ENDIAN);
    switch (entry.dtype()) {
      case "I64" -> bytes.asLongBuffer().get(values);
      case "I32" -> {
        for (int i = 0; i < n; i++) {
          values[i] = bytes.getInt();
        }
      }
      default -> throw new IllegalArgumentException("tensor " + entry + " in " + path + " is not I64 or I32");
    }
    return values;
  }

  /** IEEE 754 binary16 → binary32 (exact; Java 17 has no {@code Float.float16ToFloat}). */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;                      // zero or subnormal
      return sign != 0 ? -magnitude : magnitude;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));   // inf / NaN
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static Entry entry(Path path, String name, JsonNode node, long dataLength) {
    JsonNode dtype = node.get("dtype");
    JsonNode shape = node.get("shape");
    JsonNode offsets = node.get("data_offsets");
    if (dtype == null || !dtype.isTextual() || shape == null || !shape.isArray()
        || offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw bad(path, "header entry for tensor '" + name + "' lacks dtype, shape or data_offsets: " + node);
    }
    long[] dims = new long[shape.size()];
    for (int i = 0; i < dims.length; i++) {
      if (!shape.get(i).canConvertToLong() || shape.get(i).asLong() < 0) {
        throw bad(path, "tensor '" + name + "' has an invalid shape " + shape);
      }
      dims[i] = shape.get(i).asLong();
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    Entry entry = new Entry(name, dtype.asText(), dims, begin, end);
    int width = switch (entry.dtype()) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
      default -> throw bad(path, "tensor '" + name + "' has unknown dtype " + entry.dtype());
    };
    if (begin < 0 || end < begin) {
      throw bad(path, "tensor '" + name + "' has invalid data_offsets " + offsets);
    }
    if (end - begin != entry.elements() * width) {
      throw bad(path, "tensor " + entry + " should take " + entry.elements() * width + " bytes but data_offsets "
          + offsets + " give " + (end - begin));
    }
    if (end > dataLength) {
      throw bad(path, "tensor " + entry + " ends at byte " + end + " of the data but the file holds only "
          + dataLength + " data bytes (truncated?)");
    }
    return entry;
  }

  private static void checkNoOverlap(Path path, Map<String, Entry> entries) {
    List<Entry> sorted = new ArrayList<>(entries.values());
    sorted.sort(Comparator.comparingLong(Entry::begin));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).begin() < sorted.get(i - 1).end()) {
        throw bad(path, "tensors " + sorted.get(i - 1).name() + " and " + sorted.get(i).name() + " overlap");
      }
    }
  }

  private static long size(FileChannel channel, Path path) {
    try {
      return channel.size();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e, e);
    }
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length, Path path) {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          throw bad(path, "unexpected end of file at byte " + (position + buffer.position()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e, e);
    }
    return buffer.flip();
  }

  private static IllegalArgumentException bad(Path path, String why) {
    return new IllegalArgumentException("bad safetensors file " + path + ": " + why);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }
}
