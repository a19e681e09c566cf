package dev.aligntok.stream.webhook;

import java.time.Duration;

/**
 * How webhook calls are delivered.
 *
 * @param statusTopic       read for the states that trigger calls
 * @param deadLetterTopic   where a call that failed every attempt goes
 * @param applicationId     named on the dead letters
 * @param publicUrl         the service's URL the payload's links start with; "" for paths alone
 * @param maxAttempts       attempts per call before its dead letter (≥ 1)
 * @param initialBackoff    wait after the first failed attempt; doubled after each further one
 * @param maxBackoff        the longest wait between attempts
 * @param concurrency       calls in progress at once (threads); a hanging receiver holds one for at most the timeouts
 * @param maxPending        calls read and not yet finished (waiting, in progress or between attempts); at
 *     the cap the status topic is paused
 * @param laneConcurrency   calls of one caller (or, without an owner, one receiver) in progress at once, ≤ concurrency
 * @param suspendAfter      failed attempts in a row after which a receiver is suspended for {@code maxBackoff}
 *     (its calls dead-lettered without a call meanwhile); 0 never suspends
 * @param laneMaxPending    unfinished calls of one lane (caller) before its backlog counts as full, ≤ maxPending
 * @param laneMaxWait       a lane whose backlog has been full longer than this is behind for good (its
 *     receivers take its calls more slowly than they come): its new calls are dead-lettered without a call;
 *     before that, reading waits for the lane to catch up; zero: reading always waits
 */
public record DeliveryConfig(String statusTopic, String deadLetterTopic, String applicationId, String publicUrl,
                             int maxAttempts, Duration initialBackoff, Duration maxBackoff, int concurrency,
                             int maxPending, int laneConcurrency, int suspendAfter, int laneMaxPending,
                             Duration laneMaxWait) {
  public DeliveryConfig {
    if (maxAttempts < 1 || concurrency < 1 || maxPending < 1) {
      throw new IllegalArgumentException("webhook delivery needs maxAttempts, concurrency and maxPending ≥ 1, got "
          + maxAttempts + ", " + concurrency + ", " + maxPending);
    }
    if (laneConcurrency < 1 || laneConcurrency > concurrency || suspendAfter < 0) {
      throw new IllegalArgumentException("webhook delivery needs 1 ≤ laneConcurrency ≤ concurrency (" + concurrency
          + ") and suspendAfter ≥ 0, got " + laneConcurrency + " and " + suspendAfter);
    }
    if (laneMaxPending < 1 || laneMaxPending > maxPending || laneMaxWait == null || laneMaxWait.isNegative()) {
      throw new IllegalArgumentException("webhook delivery needs 1 ≤ laneMaxPending ≤ maxPending (" + maxPending
          + ") and laneMaxWait ≥ 0, got " + laneMaxPending + " and " + laneMaxWait);
    }
    publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
  }

  /** The wait before attempt {@code next} (2 = the first retry): exponential, capped. */
  Duration backoffBefore(int next) {
    int doublings = Math.min(20, Math.max(0, next - 2));
    Duration wait = initialBackoff.multipliedBy(1L << doublings);
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
