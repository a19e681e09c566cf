package dev.aligntok.trainer.encoders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tensor as two files: {@code <base>.f32}, raw little-endian float32 in row-major order, and
 * {@code <base>.json}, a header {@code {"shape": [...], "dtype": "float32", "byteOrder": "little",
 * "layout": "NCHW", ...metadata}}. Readable with anything (numpy: {@code np.fromfile(f, '<f4')}),
 * used for feature dumps and for the golden files of the TF.js loaders.
 */
public final class Float32Files {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Float32Files() {}

  /** The two files of a tensor. */
  public record Paths(Path data, Path header) {
    /** {@code base} with or without a {@code .f32}/{@code .json} extension. */
    public static Paths of(Path base) {
      String name = base.getFileName().toString().replaceFirst("\\.(f32|json)$", "");
      return new Paths(base.resolveSibling(name + ".f32"), base.resolveSibling(name + ".json"));
    }
  }

  /** A tensor read back, with its whole header. */
  public record Loaded(long[] shape, float[] values, JsonNode header) {}

  public static Paths write(Path base, long[] shape, String layout, float[] values, Map<String, ?> metadata) throws IOException {
    if (Arrays.stream(shape).reduce(1, Math::multiplyExact) != values.length) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not hold " + values.length + " values");
    }
    Paths paths = Paths.of(base);
    if (paths.data().getParent() != null) {
      Files.createDirectories(paths.data().getParent());
    }
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    Files.write(paths.data(), bytes.array());
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("shape", shape);
    header.put("dtype", "float32");
    header.put("byteOrder", "little");
    header.put("layout", layout);
    header.putAll(metadata);
    JSON.writeValue(paths.header().toFile(), header);
    return paths;
  }

  /** Reads a tensor written by {@link #write} (or by tools/golden); {@code base} as in {@link Paths#of}. */
  public static Loaded read(Path base) throws IOException {
    Paths paths = Paths.of(base);
    JsonNode header = JSON.readTree(paths.header().toFile());
    if (!"float32".equals(header.path("dtype").asText()) || !"little".equals(header.path("byteOrder").asText())) {
      throw new IOException(paths.header() + ": expected dtype float32 and byteOrder little, got " + header.path("dtype")
          + " / " + header.path("byteOrder"));
    }
    long[] shape = new long[header.path("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = header.get("shape").get(i).asLong();
    }
    byte[] bytes = Files.readAllBytes(paths.data());
    long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
    if (bytes.length != count * Float.BYTES) {
      throw new IOException(paths.data() + " has " + bytes.length + " bytes; shape " + Arrays.toString(shape)
          + " in " + paths.header() + " needs " + count * Float.BYTES);
    }
    float[] values = new float[(int) count];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return new Loaded(shape, values, header);
  }
}
