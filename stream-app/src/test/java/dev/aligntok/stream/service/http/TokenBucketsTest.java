package dev.aligntok.stream.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The rate quota's buckets on a clock the test moves: refill, the wait they report, and their bound. */
class TokenBucketsTest {
  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong now = new AtomicLong(123 * SECOND);

  @Test
  void aFullBucketGivesItsMinuteAndThenOneTokenPerSixtiethOfAMinuteOverTheRate() {
    TokenBuckets buckets = new TokenBuckets(6, 10, now::get);
    for (int i = 0; i < 6; i++) {
      assertEquals(0, buckets.take("a"), "token " + i);
    }
    assertEquals(10 * SECOND, buckets.take("a"), "6 per minute: one every 10 s");
    now.addAndGet(4 * SECOND);
    assertEquals(6 * SECOND, buckets.take("a"), "a refusal takes nothing");
    now.addAndGet(6 * SECOND);
    assertEquals(0, buckets.take("a"));
    assertEquals(0, buckets.take("b"), "another key has its own bucket");
    now.addAndGet(3600 * SECOND);
    for (int i = 0; i < 6; i++) {
      assertEquals(0, buckets.take("a"), "an idle hour refills only to the bucket's size");
    }
    assertEquals(10 * SECOND, buckets.take("a"));
  }

  @Test
  void atMostMaxKeysAreKeptAndTheLeastRecentlyUsedIsForgotten() {
    TokenBuckets buckets = new TokenBuckets(1, 2, now::get);
    assertEquals(0, buckets.take("a"));
    assertEquals(0, buckets.take("b"));
    assertEquals(60 * SECOND, buckets.take("a"), "a is used again, b is now the least recent");
    for (int i = 0; i < 1000; i++) {
      buckets.take("cycled-" + i);
    }
    assertEquals(2, buckets.size(), "a thousand keys, two buckets");
    assertEquals(0, buckets.take("a"), "a forgotten key starts full again, as an idle one would be");
  }

  @Test
  void aRateOrBoundBelowOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(0, 1, now::get));
    assertThrows(IllegalArgumentException.class, () -> new TokenBuckets(1, 0, now::get));
  }
}
