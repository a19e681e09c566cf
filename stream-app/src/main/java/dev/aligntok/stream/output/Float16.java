package dev.aligntok.stream.output;

/**
 * IEEE 754 binary16 ("half") conversions. Java 17 has no {@code Float.floatToFloat16}, so this is
 * written out: float → half rounds to nearest, ties to even (as the hardware and Java 20+ do),
 * overflows to infinity, keeps subnormals, signed zeros, infinities and NaN (a NaN stays a NaN).
 */
public final class Float16 {
  private static final int SIGN = 0x8000;
  private static final int EXPONENT_MASK = 0x7C00;
  private static final int QUIET_NAN_BIT = 0x0200;

  private Float16() {}

  /** The half nearest to {@code value} (ties to even), as its 16 bits. */
  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & SIGN;
    int exponent = (bits >>> 23) & 0xFF;
    int mantissa = bits & 0x7FFFFF;
    if (exponent == 0xFF) {
      // Infinity stays infinity; a NaN keeps its top payload bits and the quiet bit, so it cannot turn into infinity.
      return (short) (mantissa == 0 ? sign | EXPONENT_MASK : sign | EXPONENT_MASK | QUIET_NAN_BIT | (mantissa >>> 13));
    }
    int halfExponent = exponent - 127 + 15;
    if (halfExponent >= 0x1F) {
      return (short) (sign | EXPONENT_MASK);
    }
    if (halfExponent <= 0) {
      return (short) (sign | subnormal(mantissa | 0x800000, 14 - halfExponent));
    }
    int half = (halfExponent << 10) | (mantissa >>> 13);
    int rest = mantissa & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
      half++; // a carry out of the mantissa moves to the next binade, or to infinity: both correct
    }
    return (short) (sign | half);
  }

  /**
   * Mantissa of a subnormal half (value × 2^24) from a float's full 24-bit significand shifted
   * right by {@code shift}, rounded to nearest even; may round up to the smallest normal (0x400).
   */
  private static int subnormal(int significand, int shift) {
    if (shift > 24) {
      return 0; // below half the smallest subnormal
    }
    int kept = significand >>> shift;
    int rest = significand & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (rest > halfway || (rest == halfway && (kept & 1) == 1)) {
      kept++;
    }
    return kept;
  }

  /** The float of a half's 16 bits (exact: every half is a float). */
  public static float toFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits & SIGN) << 16;
    int exponent = (bits & EXPONENT_MASK) >>> 10;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }
}
