package dev.aligntok.inference.sampling;

/**
 * Seeded Gaussian noise that every component and language we write can reproduce: the trainer,
 * the serving runtime and a Python or ONNX-side check must turn a request's seed into the same
 * starting latents. {@link java.util.Random} and framework generators are not specified across
 * languages, so the generator is defined here, completely (also in {@code docs/portable-noise.md}).
 *
 * <p>All integer arithmetic is on unsigned 64-bit words, wrapping modulo 2^64; {@code >>>} is a
 * logical shift.
 * <pre>
 *   GAMMA = 0x9E3779B97F4A7C15
 *   mix(z):  z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9
 *            z = (z ^ (z >>> 27)) * 0x94D049BB133111EB
 *            return z ^ (z >>> 31)
 *   state  = mix(seed ^ (stream * GAMMA))            // once, at creation
 *   next() = { state = state + GAMMA; return mix(state) }   // SplitMix64
 *   uniform()  = (next() >>> 11) * 2^-53             // double in [0, 1)
 *   per pair:  u1 = uniform(); u2 = uniform()        // in this order
 *              r  = sqrt(-2.0 * ln(1.0 - u1))        // 1 - u1 in (0, 1]: no ln(0)
 *              a  = TWO_PI * u2                       // TWO_PI = 0x1.921fb54442d18p2 (the double nearest 2π)
 *              emit (float) (r * cos(a)), then (float) (r * sin(a))
 * </pre>
 * All of that is IEEE double arithmetic; the casts to float round to nearest, ties to even. For odd
 * n the last pair's sine is dropped, so {@code gaussian(s, k, n)} is always a prefix of
 * {@code gaussian(s, k, n + 1)}. {@code next()} is exactly {@link java.util.SplittableRandom#nextLong()}
 * of {@code new SplittableRandom(state)}.
 *
 * <p>ln, cos and sin are {@link StrictMath} (fdlibm), so Java results are identical on every JVM. Another
 * language's libm may differ from fdlibm in the last bit of a double; after rounding to float that
 * shows up only when a value lies within one double ulp of a float rounding boundary (about one value
 * in 2^28), so a float-level comparison should allow 1 float ulp if its maths library is not fdlibm.
 *
 * <p>Streams: use one stream per independent draw of the same seed (e.g. the image index within a
 * request), rather than seed + i, which would make neighbouring seeds share images.
 */
public final class PortableNoise {
  static final long GAMMA = 0x9E3779B97F4A7C15L;
  private static final double TWO_PI = 0x1.921fb54442d18p2;

  private PortableNoise() {}

  /** n Gaussian floats (mean 0, variance 1) for (seed, stream); n ≥ 0. */
  public static float[] gaussian(long seed, long stream, int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0, got " + n);
    }
    float[] out = new float[n];
    long state = initialState(seed, stream);
    for (int i = 0; i < n; i += 2) {
      state += GAMMA;
      double u1 = uniform(mix(state));
      state += GAMMA;
      double u2 = uniform(mix(state));
      double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u1));
      double angle = TWO_PI * u2;
      out[i] = (float) (r * StrictMath.cos(angle));
      if (i + 1 < n) {
        out[i + 1] = (float) (r * StrictMath.sin(angle));
      }
    }
    return out;
  }

  /** The SplitMix64 state a (seed, stream) pair starts from, before the first {@code next()}. */
  static long initialState(long seed, long stream) {
    return mix(seed ^ (stream * GAMMA));
  }

  /** SplitMix64's output function (Stafford's variant 13). */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static double uniform(long bits) {
    return (bits >>> 11) * 0x1.0p-53;
  }
}
