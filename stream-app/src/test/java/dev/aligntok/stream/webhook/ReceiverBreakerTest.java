package dev.aligntok.stream.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReceiverBreakerTest {
  private static final String DOWN = "https://down.example.com:443";
  private static final String UP = "https://up.example.com:443";

  /** A clock that stands still until the test moves it. */
  private static final class SteppedClock extends Clock {
    private Instant now = Instant.parse("2026-12-07T12:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final SteppedClock clock = new SteppedClock();
  private final ReceiverBreaker breaker = new ReceiverBreaker(3, Duration.ofMinutes(5), clock);

  @Test
  void aReceiverIsSuspendedAfterFailuresInARowAndOnlyThatOne() {
    assertFalse(breaker.failed(DOWN, "SocketTimeoutException: read timed out"));
    assertFalse(breaker.failed(DOWN, "SocketTimeoutException: read timed out"));
    assertTrue(breaker.suspended(DOWN).isEmpty(), "two failures are not yet a pattern");
    assertTrue(breaker.failed(DOWN, "the receiver answered 503"));

    assertEquals("receiver https://down.example.com:443 is suspended until 2026-12-07T12:05:00Z after 3 failed attempts"
        + " in a row (last: the receiver answered 503)", breaker.suspended(DOWN).orElseThrow());
    assertTrue(breaker.suspended(UP).isEmpty(), "another receiver is not affected");

    clock.advance(Duration.ofMinutes(1));
    assertFalse(breaker.failed(DOWN, "SocketTimeoutException: an attempt under way at the suspension"),
        "already suspended: not again, and not for longer");
    assertTrue(breaker.suspended(DOWN).orElseThrow().contains("until 2026-12-07T12:05:00Z after 4 failed attempts"));
  }

  @Test
  void aSuccessClearsTheCountSoScatteredFailuresNeverSuspend() {
    for (int i = 0; i < 10; i++) {
      breaker.failed(DOWN, "the receiver answered 500");
      breaker.failed(DOWN, "the receiver answered 500");
      breaker.succeeded(DOWN);
    }
    assertTrue(breaker.suspended(DOWN).isEmpty());
  }

  @Test
  void afterTheSuspensionOneFailureSuspendsAgainAndOneSuccessClearsIt() {
    for (int i = 0; i < 3; i++) {
      breaker.failed(DOWN, "ConnectException: refused");
    }
    clock.advance(Duration.ofMinutes(5));
    assertTrue(breaker.suspended(DOWN).isEmpty(), "the suspension is over: the next attempt is a probe");
    assertTrue(breaker.failed(DOWN, "ConnectException: refused"), "the probe failed: suspended at once");
    assertTrue(breaker.suspended(DOWN).orElseThrow().contains("until 2026-12-07T12:10:00Z after 4 failed attempts"));
    assertFalse(breaker.failed(DOWN, "ConnectException: refused"), "a second probe under way when the first failed");

    clock.advance(Duration.ofMinutes(5));
    breaker.succeeded(DOWN);
    assertFalse(breaker.failed(DOWN, "one failure after a success"));
    assertTrue(breaker.suspended(DOWN).isEmpty());
  }

  @Test
  void zeroNeverSuspendsAndForgottenReceiversStartAfresh() {
    ReceiverBreaker never = new ReceiverBreaker(0, Duration.ofMinutes(5), clock);
    for (int i = 0; i < 100; i++) {
      assertFalse(never.failed(DOWN, "the receiver answered 500"));
    }
    assertTrue(never.suspended(DOWN).isEmpty());

    // Memory is bounded: a flood of failing receivers pushes out the oldest.
    for (int i = 0; i < 3; i++) {
      breaker.failed(DOWN, "ConnectException: refused");
    }
    for (int i = 0; i < ReceiverBreaker.REMEMBERED_RECEIVERS; i++) {
      breaker.failed("https://r" + i + ".example.com:443", "ConnectException: refused");
    }
    assertTrue(breaker.suspended(DOWN).isEmpty(), "forgotten, so called again");
  }
}
