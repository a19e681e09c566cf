package dev.aligntok.stream.service.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per key: {@code perMinute} tokens at most, refilled evenly over a minute, one taken
 * per event. Memory is bounded: at most {@code maxKeys} buckets are kept, and the least recently used
 * one is forgotten to make room. A forgotten key starts again with a full bucket, which is what an
 * idle key has anyway; only keys cycled faster than the bound could gain from it, and API keys are a
 * configured list while JWT subjects need tokens signed by the identity provider.
 */
final class TokenBuckets {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final long nanosPerToken;
  private final LongSupplier nanoTime;
  private final Map<String, Bucket> buckets;

  /** @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime} outside tests) */
  TokenBuckets(int perMinute, int maxKeys, LongSupplier nanoTime) {
    if (perMinute < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("a token bucket needs perMinute >= 1 and maxKeys >= 1, got "
          + perMinute + " and " + maxKeys);
    }
    this.nanosPerToken = MINUTE_NANOS / perMinute;
    this.nanoTime = nanoTime;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > maxKeys;
      }
    };
  }

  /** Takes a token of {@code key}'s bucket: 0 when one was there, else the nanoseconds until one will be. */
  synchronized long take(String key) {
    long now = nanoTime.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(now));
    // Credit is kept in nanoseconds of refill: a full bucket holds a minute's worth.
    bucket.credit = Math.min(MINUTE_NANOS, bucket.credit + Math.max(0, now - bucket.updated));
    bucket.updated = now;
    if (bucket.credit >= nanosPerToken) {
      bucket.credit -= nanosPerToken;
      return 0;
    }
    return nanosPerToken - bucket.credit;
  }

  /** How many keys have a bucket now. */
  synchronized int size() {
    return buckets.size();
  }

  private static final class Bucket {
    private long credit = MINUTE_NANOS;
    private long updated;

    private Bucket(long now) {
      this.updated = now;
    }
  }
}
