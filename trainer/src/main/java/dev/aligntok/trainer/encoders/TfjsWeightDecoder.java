package dev.aligntok.trainer.encoders;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns one weight's stored bytes into float32 values exactly as TF.js's {@code decodeWeights} does. */
final class TfjsWeightDecoder {
  private TfjsWeightDecoder() {}

  /** Decodes {@code spec.storedBytes()} bytes starting at {@code data}'s position (which is advanced). */
  static float[] decode(TfjsWeightSpec spec, ByteBuffer data) {
    if (data.remaining() < spec.storedBytes()) {
      throw new IllegalArgumentException("weight " + spec.name() + " needs " + spec.storedBytes()
          + " bytes but only " + data.remaining() + " are left in the weight shards");
    }
    ByteBuffer in = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    data.position(data.position() + (int) spec.storedBytes());
    float[] values = new float[spec.elementCount()];
    if (spec.quantization().isEmpty()) {
      in.asFloatBuffer().get(values);
      return values;
    }
    TfjsWeightSpec.Quantization q = spec.quantization().get();
    switch (q.dtype()) {
      case "uint8":
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((in.get(i) & 0xFF) * q.scale() + q.min());
        }
        return values;
      case "uint16":
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((in.getShort(2 * i) & 0xFFFF) * q.scale() + q.min());
        }
        return values;
      case "float16":
        for (int i = 0; i < values.length; i++) {
          values[i] = halfToFloat(in.getShort(2 * i));
        }
        return values;
      default:
        throw new IllegalArgumentException("weight " + spec.name() + ": unknown quantization " + q.dtype());
    }
  }

  /** IEEE 754 binary16 → binary32 (exact; Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13)); // Inf / NaN
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // subnormal (or zero): exact in float32
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
