package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * Server-sent event streams of generation requests ({@code GET /v1/generations/{id}/events},
 * {@code aligntok.events.*}). Each open stream polls the request's status (at the instance owning
 * it) every {@code pollInterval}, so the cap bounds the polling load a burst of clients can cause.
 *
 * @param pollInterval how often a stream looks at the status; default 500 ms
 * @param heartbeat    a comment line after this long without an event, so proxies keep the connection; default 15 s
 * @param maxDuration  a stream closes after this long (a client reconnects with Last-Event-ID); default 1 h
 * @param waitForId    how long a stream waits for an id the status store does not show yet (a submission
 *     answers 202 before its QUEUED status is stored) before answering 404; default 10 s
 * @param maxStreams   streams one instance holds open at once; above it: 503; default {@value #DEFAULT_MAX_STREAMS}
 * @param maxStreamsPerCaller streams one caller (API key or token subject) holds open at one instance; above
 *     it: 429, so that one client cannot take the whole instance cap; default {@value #DEFAULT_MAX_STREAMS_PER_CALLER}
 */
@ConfigurationProperties("aligntok.events")
public record EventStreamSettings(@Nullable Duration pollInterval, @Nullable Duration heartbeat,
                                  @Nullable Duration maxDuration, @Nullable Duration waitForId,
                                  @Nullable Integer maxStreams, @Nullable Integer maxStreamsPerCaller) {
  public static final int DEFAULT_MAX_STREAMS = 200;
  public static final int DEFAULT_MAX_STREAMS_PER_CALLER = 8;

  public EventStreamSettings {
    pollInterval = pollInterval == null ? Duration.ofMillis(500) : pollInterval;
    heartbeat = heartbeat == null ? Duration.ofSeconds(15) : heartbeat;
    maxDuration = maxDuration == null ? Duration.ofHours(1) : maxDuration;
    waitForId = waitForId == null ? Duration.ofSeconds(10) : waitForId;
    maxStreams = maxStreams == null ? DEFAULT_MAX_STREAMS : maxStreams;
    maxStreamsPerCaller = maxStreamsPerCaller == null ? DEFAULT_MAX_STREAMS_PER_CALLER : maxStreamsPerCaller;
    Settings.requirePositive("aligntok.events.poll-interval", pollInterval);
    Settings.requirePositive("aligntok.events.heartbeat", heartbeat);
    Settings.requirePositive("aligntok.events.max-duration", maxDuration);
    Settings.requirePositive("aligntok.events.wait-for-id", waitForId);
    Settings.requireAtLeast("aligntok.events.max-streams", maxStreams, 1);
    Settings.requireAtLeast("aligntok.events.max-streams-per-caller", maxStreamsPerCaller, 1);
  }
}
