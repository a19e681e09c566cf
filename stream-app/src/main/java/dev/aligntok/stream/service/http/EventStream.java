package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.config.EventStreamSettings;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One open event stream, tick by tick: the new events of each polled status (see {@link EventCursor}),
 * a {@code progress} event when a running request's progress moved (at most two a second, the latest
 * value wins), a heartbeat comment when nothing was sent for a while, and an {@code end} event when
 * the stream has been open for its maximum duration. Over after the final state or that end event.
 */
final class EventStream {
  /** At most two progress events a second per stream; progress is state, so a skipped value is simply superseded. */
  static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;

  /** Body of a {@code progress} event: how far a running request is (no event id: it is not history). */
  @Serdeable
  record Progress(float progress, int completed, int total) {}

  /** Body of the {@code end} event that closes a stream before the request's final state. */
  @Serdeable
  record End(String reason) {}

  private final EventCursor cursor;
  private final EventStreamSettings settings;
  private final LongSupplier nanoClock;
  private final long openedNanos;
  private long lastSentNanos;
  private boolean timedOut;
  private float lastProgress;
  private long lastProgressNanos = Long.MIN_VALUE / 2;

  EventStream(EventCursor cursor, EventStreamSettings settings, LongSupplier nanoClock) {
    this.cursor = cursor;
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.openedNanos = nanoClock.getAsLong();
    this.lastSentNanos = openedNanos;
  }

  /** @param status the status polled now; null when it could not be read this time (rebalancing, owner busy) */
  List<Event<?>> tick(@Nullable StatusView status) {
    List<Event<?>> events = new ArrayList<>(status == null ? List.of() : cursor.advance(status));
    long now = nanoClock.getAsLong();
    if (status != null) {
      if (!events.isEmpty()) {
        lastProgress = status.progress(); // a status event carries the progress too
      } else if ("RUNNING".equals(status.state()) && status.progress() != lastProgress
          && now - lastProgressNanos >= PROGRESS_INTERVAL_NANOS) {
        events.add(Event.of(new Progress(status.progress(), status.completed(), status.total())).name("progress"));
        lastProgress = status.progress();
        lastProgressNanos = now;
      }
    }
    if (!cursor.finished() && now - openedNanos >= settings.maxDuration().toNanos()) {
      timedOut = true;
      events.add(Event.of(new End("the stream was open for its maximum of " + settings.maxDuration()
          + "; reconnect with Last-Event-ID to go on")).name("end"));
    }
    if (events.isEmpty() && now - lastSentNanos >= settings.heartbeat().toNanos()) {
      events.add(Event.of("").comment("keep-alive"));
    }
    if (!events.isEmpty()) {
      lastSentNanos = now;
    }
    return events;
  }

  boolean over() {
    return cursor.finished() || timedOut;
  }
}
