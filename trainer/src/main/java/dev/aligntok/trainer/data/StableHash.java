package dev.aligntok.trainer.data;

import java.nio.charset.StandardCharsets;

/**
 * A fixed 64-bit hash of (seed, text): FNV-1a over the UTF-8 bytes, then the SplitMix64 finaliser.
 * Splits, shuffles and augmentation draw from it so they depend only on sample ids and seeds —
 * never on input order, thread scheduling or {@link String#hashCode()} quirks — and stay the same
 * across JVMs and releases.
 */
public final class StableHash {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private StableHash() {}

  public static long of(long seed, String text) {
    long hash = FNV_OFFSET ^ mix(seed);
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV_PRIME;
    }
    return mix(hash);
  }

  public static long of(long seed, long salt, String text) {
    return of(mix(seed) ^ mix(salt + 0x9e3779b97f4a7c15L), text);
  }

  /** SplitMix64's finaliser: every input bit affects every output bit. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** The hash as a uniform double in [0, 1). */
  public static double unit(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }
}
