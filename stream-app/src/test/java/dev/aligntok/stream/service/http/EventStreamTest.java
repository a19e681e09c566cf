package dev.aligntok.stream.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.stream.service.config.EventStreamSettings;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Heartbeats and the maximum duration of one stream, on a clock the test moves. */
class EventStreamTest {
  private static final EventStreamSettings SETTINGS = new EventStreamSettings(Duration.ofMillis(500),
      Duration.ofSeconds(15), Duration.ofMinutes(2), null, null, null);
  private long now = 1_000_000L;

  private static StatusView queued() {
    return new StatusView("r1", "QUEUED", 0f, 0, 1, null, null, null, 0);
  }

  private void advance(Duration by) {
    now += by.toNanos();
  }

  @Test
  void aHeartbeatCommentFollowsFifteenQuietSecondsAndAnEventPostponesIt() {
    EventStream stream = new EventStream(EventCursor.resuming("r1", null), SETTINGS, () -> now);
    advance(Duration.ofSeconds(14));
    assertEquals(List.of("0-QUEUED"), stream.tick(queued()).stream().map(Event::getId).toList());
    advance(Duration.ofSeconds(14));
    assertEquals(List.of(), stream.tick(queued()), "15 s have not passed since the last event");
    advance(Duration.ofSeconds(1));
    List<Event<?>> heartbeat = stream.tick(null); // a poll that could not read the status still keeps the connection
    assertEquals(1, heartbeat.size());
    assertEquals("keep-alive", heartbeat.get(0).getComment());
    assertEquals(null, heartbeat.get(0).getId(), "a heartbeat does not move the client's Last-Event-ID");
    assertEquals(List.of(), stream.tick(queued()));
    assertFalse(stream.over());
  }

  @Test
  void progressWhileRunningIsSentAtMostTwiceASecondWithTheLatestValue() {
    EventStream stream = new EventStream(EventCursor.resuming("r1", null), SETTINGS, () -> now);
    assertEquals(List.of("status"), names(stream.tick(running(0f))));
    assertEquals(List.of(), stream.tick(running(0f)), "no change, no event");
    advance(Duration.ofMillis(100));
    List<Event<?>> first = stream.tick(running(0.25f));
    assertEquals(List.of("progress"), names(first));
    assertEquals(new EventStream.Progress(0.25f, 0, 1), first.get(0).getData());
    assertEquals(null, first.get(0).getId(), "progress is not history: a reconnecting client resumes by status and image");
    advance(Duration.ofMillis(100));
    assertEquals(List.of(), stream.tick(running(0.5f)), "within 500 ms of the last progress event");
    advance(Duration.ofMillis(400));
    assertEquals(new EventStream.Progress(0.75f, 0, 1), stream.tick(running(0.75f)).get(0).getData());
    advance(Duration.ofSeconds(1));
    assertEquals(List.of("image", "status"), names(stream.tick(
        new StatusView("r1", "SUCCEEDED", 1f, 1, 1, null, null, null, 0))), "the final status, no progress event");
  }

  private static StatusView running(float progress) {
    return new StatusView("r1", "RUNNING", progress, 0, 1, null, null, null, 0);
  }

  private static List<String> names(List<Event<?>> events) {
    return events.stream().map(Event::getName).toList();
  }

  @Test
  void aStreamOpenForItsMaximumDurationEndsWithAnEndEvent() {
    EventStream stream = new EventStream(EventCursor.resuming("r1", null), SETTINGS, () -> now);
    stream.tick(queued());
    advance(Duration.ofMinutes(2));
    List<Event<?>> last = stream.tick(queued());
    assertEquals(List.of("end"), last.stream().map(Event::getName).toList());
    assertTrue(((EventStream.End) last.get(0).getData()).reason().contains("Last-Event-ID"));
    assertTrue(stream.over());
  }

  @Test
  void theFinalStateEndsTheStreamWithoutAnEndEvent() {
    EventStream stream = new EventStream(EventCursor.resuming("r1", null), SETTINGS, () -> now);
    advance(Duration.ofMinutes(3));
    List<Event<?>> last = stream.tick(new StatusView("r1", "EXPIRED", 0f, 0, 1, "deadline", "DeadlinePassed", null, 0));
    assertEquals(List.of("status"), last.stream().map(Event::getName).toList());
    assertTrue(stream.over());
  }
}
