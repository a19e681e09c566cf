package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * Per-caller quotas of the HTTP API ({@code aligntok.quotas.*}); a caller is an API key or a JWT
 * subject (the owner its requests carry). They apply only with authentication on: with it off every
 * client is the one anonymous caller, and a quota would be a limit on the whole service instead.
 * 0 means unlimited.
 *
 * @param maxInFlight          generation requests a caller may have queued or running at once,
 *     counted across all instances; default {@value #DEFAULT_MAX_IN_FLIGHT}
 * @param submissionsPerMinute submissions a caller may make per minute on each submitting route
 *     ({@code POST /v1/generations}, {@code POST /v1/tokenize}), as a token bucket of this size
 *     refilled evenly over a minute, per instance; default {@value #DEFAULT_SUBMISSIONS_PER_MINUTE}
 * @param maxTrackedCallers    callers whose submission rate one instance remembers; beyond it the
 *     least recently seen is forgotten (it starts again with a full bucket); default
 *     {@value #DEFAULT_MAX_TRACKED_CALLERS}
 */
@ConfigurationProperties("aligntok.quotas")
public record QuotaSettings(@Nullable Integer maxInFlight, @Nullable Integer submissionsPerMinute,
                            @Nullable Integer maxTrackedCallers) {
  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  public static final int DEFAULT_SUBMISSIONS_PER_MINUTE = 60;
  public static final int DEFAULT_MAX_TRACKED_CALLERS = 100_000;

  public QuotaSettings {
    maxInFlight = maxInFlight == null ? DEFAULT_MAX_IN_FLIGHT : maxInFlight;
    submissionsPerMinute = submissionsPerMinute == null ? DEFAULT_SUBMISSIONS_PER_MINUTE : submissionsPerMinute;
    maxTrackedCallers = maxTrackedCallers == null ? DEFAULT_MAX_TRACKED_CALLERS : maxTrackedCallers;
    Settings.requireAtLeast("aligntok.quotas.max-in-flight", maxInFlight, 0);
    Settings.requireAtLeast("aligntok.quotas.submissions-per-minute", submissionsPerMinute, 0);
    Settings.requireAtLeast("aligntok.quotas.max-tracked-callers", maxTrackedCallers, 1);
  }
}
