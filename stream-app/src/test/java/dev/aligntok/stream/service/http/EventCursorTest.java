package dev.aligntok.stream.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.sse.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCursorTest {
  private static StatusView status(String state, int completed) {
    return new StatusView("r1", state, 0f, completed, 3, null, null, null, 0);
  }

  private static List<String> ids(List<Event<?>> events) {
    return events.stream().map(Event::getId).toList();
  }

  @Test
  void aFreshStreamSendsEachChangeOnceWithImagesBeforeTheirStatus() {
    EventCursor cursor = EventCursor.resuming("r1", null);
    assertEquals(List.of("0-QUEUED"), ids(cursor.advance(status("QUEUED", 0))));
    assertEquals(List.of(), ids(cursor.advance(status("QUEUED", 0))), "no change, no event");
    assertEquals(List.of("0-RUNNING"), ids(cursor.advance(status("RUNNING", 0))));
    assertEquals(List.of("1-image", "1-RUNNING"), ids(cursor.advance(status("RUNNING", 1))));
    assertFalse(cursor.finished());
    List<Event<?>> last = cursor.advance(status("SUCCEEDED", 3));
    assertEquals(List.of("2-image", "3-image", "3-SUCCEEDED"), ids(last));
    assertEquals(new EventCursor.ImageEvent(2, "/v1/generations/r1/images/2"), last.get(1).getData());
    assertEquals(List.of("image", "image", "status"), last.stream().map(Event::getName).toList());
    assertTrue(cursor.finished());
  }

  @Test
  void aResumedStreamSkipsWhatTheClientHas() {
    EventCursor cursor = EventCursor.resuming("r1", "2-image");
    assertEquals(List.of("3-image", "3-SUCCEEDED"), ids(cursor.advance(status("SUCCEEDED", 3))));
    EventCursor running = EventCursor.resuming("r1", "0-RUNNING");
    assertEquals(List.of(), ids(running.advance(status("RUNNING", 0))));
    assertEquals(List.of("0-FAILED"), ids(running.advance(status("FAILED", 0))));
  }

  @Test
  void aClientThatSawTheFinalStateIsToldItEndedAndAForeignIdStartsOver() {
    assertTrue(EventCursor.resuming("r1", "3-SUCCEEDED").alreadyEnded(status("SUCCEEDED", 3)));
    assertFalse(EventCursor.resuming("r1", "3-image").alreadyEnded(status("SUCCEEDED", 3)));
    assertFalse(EventCursor.resuming("r1", "0-RUNNING").alreadyEnded(status("RUNNING", 0)));
    for (String foreign : List.of("", "abc", "-1-QUEUED", "x-image", "99999999999-image")) {
      assertEquals(List.of("0-QUEUED"), ids(EventCursor.resuming("r1", foreign).advance(status("QUEUED", 0))), foreign);
    }
  }
}
