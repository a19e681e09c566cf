package dev.aligntok.inference.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors reader: damaged files are named as such, and every float type is converted
 * exactly. F32 and I64 files come from {@link SafetensorsWriter}; F16, BF16, F64 and I32 files,
 * which that writer does not produce, are written byte by byte here.
 */
class SafetensorsFileTest {
  private static final float[] VALUES = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-05f, 5.9604645e-08f, -3.1415927f, 1e-3f, 300.7f};

  @Test
  void truncatedAndGarbageFilesAreReportedAsSuch(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("model.safetensors");
    SafetensorsWriter.write(file, Map.of(), List.of(
        SafetensorsWriter.Tensor.f32("a", new float[64], 8, 8), SafetensorsWriter.Tensor.f32("b", new float[64], 64)));
    byte[] bytes = Files.readAllBytes(file);

    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
    String message = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(truncated)).getMessage();
    assertTrue(message.startsWith("bad safetensors file " + truncated) && message.contains("truncated?"), message);

    Path garbage = dir.resolve("garbage.safetensors");
    Files.writeString(garbage, "this is not a safetensors file at all");
    message = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(garbage)).getMessage();
    assertTrue(message.contains("header length") && message.contains("not a safetensors file"), message);

    Path badJson = dir.resolve("badjson.safetensors");
    byte[] broken = bytes.clone();
    broken[8] = 'x';                                   // the header's opening brace
    Files.write(badJson, broken);
    message = assertThrows(IllegalArgumentException.class, () -> SafetensorsFile.open(badJson)).getMessage();
    assertTrue(message.contains("header is not valid JSON"), message);

    String missing = assertThrows(UncheckedIOException.class,
        () -> SafetensorsFile.open(dir.resolve("nope.safetensors"))).getMessage();
    assertTrue(missing.contains("nope.safetensors"), missing);
  }

  @Test
  void readerConvertsEveryFloatTypeExactly(@TempDir Path dir) throws Exception {
    // F32 as SafetensorsWriter writes it.
    Path f32 = dir.resolve("F32.safetensors");
    SafetensorsWriter.write(f32, Map.of(), List.of(SafetensorsWriter.Tensor.f32("x", VALUES, 2, 5)));
    assertReads(f32, "F32", VALUES);

    // F64: every float is a double exactly.
    ByteBuffer f64 = little(8 * VALUES.length);
    for (float v : VALUES) {
      f64.putDouble(v);
    }
    assertReads(writeByHand(dir.resolve("F64.safetensors"), "F64", f64), "F64", VALUES);

    // F16 and BF16: the bit patterns of VALUES rounded to nearest (numpy's float16, and float32
    // with the low 16 bits rounded off), and the exact floats they stand for. In F16, 65504 is the
    // largest finite value, 2^-14 the smallest normal and 2^-24 the smallest subnormal.
    short[] halfBits = {0x0000, (short) 0x8000, 0x3c00, (short) 0xc100, 0x7bff, 0x0400, 0x0001, (short) 0xc248, 0x1419, 0x5cb3};
    float[] halves = {0f, -0f, 1f, -2.5f, 65504f, 0x1p-14f, 0x1p-24f, -3.140625f, 0.0010004043579101562f, 300.75f};
    assertReads(writeByHand(dir.resolve("F16.safetensors"), "F16", shorts(halfBits)), "F16", halves);

    short[] bfloatBits = {0x0000, (short) 0x8000, 0x3f80, (short) 0xc020, 0x4780, 0x3880, 0x3380, (short) 0xc049, 0x3a83, 0x4396};
    float[] bfloats = {0f, -0f, 1f, -2.5f, 65536f, 0x1p-14f, 0x1p-24f, -3.140625f, 0.00099945068359375f, 300f};
    assertReads(writeByHand(dir.resolve("BF16.safetensors"), "BF16", shorts(bfloatBits)), "BF16", bfloats);
  }

  @Test
  void integerTensorsAreNotReadAsFloats(@TempDir Path dir) throws Exception {
    ByteBuffer ints = little(4 * 32);
    for (int i = 0; i < 32; i++) {
      ints.putInt(i);
    }
    Path file = writeByHand(dir.resolve("ints.safetensors"), "layernorm.bias", "I32", new long[] {32}, ints);
    try (SafetensorsFile reader = SafetensorsFile.open(file)) {
      String message = assertThrows(IllegalArgumentException.class, () -> reader.readFloats("layernorm.bias")).getMessage();
      assertTrue(message.contains("layernorm.bias I32[32]") && message.contains("not floating point"), message);
      assertEquals(31L, reader.readLongs("layernorm.bias")[31]);
    }
  }

  @Test
  void readsWhatSafetensorsWriterWrites(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latents.safetensors");
    long[] labels = {3, -1, Long.MAX_VALUE};
    SafetensorsWriter.write(file, Map.of("format", "test"), List.of(
        SafetensorsWriter.Tensor.f32("latents", VALUES, 5, 2), SafetensorsWriter.Tensor.i64("labels", labels, 3)));
    try (SafetensorsFile reader = SafetensorsFile.open(file)) {
      assertEquals(List.of("latents", "labels"), List.copyOf(reader.entries().keySet()));
      assertEquals(Map.of("format", "test"), reader.metadata());
      assertArrayEquals(new long[] {5, 2}, reader.entries().get("latents").shape());
      assertArrayEquals(VALUES, reader.readFloats("latents"), 0f);
      assertArrayEquals(labels, reader.readLongs("labels"));
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static void assertReads(Path file, String dtype, float[] expected) {
    try (SafetensorsFile reader = SafetensorsFile.open(file)) {
      assertEquals(dtype, reader.entries().get("x").dtype());
      float[] read = reader.readFloats("x");
      assertArrayEquals(expected, read, 0f, dtype);
      for (int i = 0; i < read.length; i++) {
        // assertArrayEquals with delta 0 treats 0 and -0 as equal; the sign must survive too
        assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(read[i]), dtype + " value " + i);
      }
    }
  }

  private static Path writeByHand(Path file, String dtype, ByteBuffer data) throws IOException {
    return writeByHand(file, "x", dtype, new long[] {2, 5}, data);
  }

  /** One tensor in the safetensors layout: 8-byte header length, JSON header padded to 8, data. */
  private static Path writeByHand(Path file, String name, String dtype, long[] shape, ByteBuffer data) throws IOException {
    StringBuilder header = new StringBuilder("{\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":"
        + Arrays.toString(shape).replace(" ", "") + ",\"data_offsets\":[0," + data.capacity() + "]}}");
    while (header.length() % 8 != 0) {
      header.append(' ');
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = little(8 + json.length + data.capacity());
    out.putLong(json.length).put(json).put(data.array());
    Files.write(file, out.array());
    return file;
  }

  private static ByteBuffer shorts(short[] values) {
    ByteBuffer bytes = little(2 * values.length);
    for (short v : values) {
      bytes.putShort(v);
    }
    return bytes;
  }

  private static ByteBuffer little(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }
}
