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
 * a heartbeat comment when nothing was sent for a while, and an {@code end} event when the stream
 * has been open for its maximum duration. Over after the final state or that end event.
 */
final class EventStream {
  /** Body of the {@code end} event that closes a stream before the request's final state. */
  @Serdeable
  record End(String reason) {}

  private final EventCursor cursor;
  private final EventStreamSettings settings;
  private final LongSupplier nanoClock;
  private final long openedNanos;
  private long lastSentNanos;
  private boolean timedOut;

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
