package dev.aligntok.stream.service.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import io.micronaut.serde.annotation.Serdeable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one event stream has told its client, turning each polled status into the events that are
 * new: an {@code image} event per newly finished image, then a {@code status} event when the state or
 * the completed count changed; the stream is finished after a final state's status event.
 *
 * <p>Event ids are {@code <completed>-image} and {@code <completed>-<STATE>}: ordered by completed
 * count, then images before QUEUED before RUNNING before a final state. A client reconnecting with
 * {@code Last-Event-ID} gets only the events after that position. A future {@code progress} event
 * (steps within a running batch) needs no id: it is current state, not history.
 */
final class EventCursor {
  private static final int IMAGE_RANK = 0;

  /** Body of an {@code image} event. @param url the image's path on this API (any instance serves it) */
  @Serdeable
  record ImageEvent(int index, String url) {}

  private final String requestId;
  /** The position the client already has: (completed, rank); (-1, -1) for a fresh stream. */
  private final int resumeCompleted;
  private final int resumeRank;
  private int imagesSent;
  @Nullable
  private String lastState;
  private int lastCompleted = -1;
  private boolean finished;

  private EventCursor(String requestId, int resumeCompleted, int resumeRank) {
    this.requestId = requestId;
    this.resumeCompleted = resumeCompleted;
    this.resumeRank = resumeRank;
  }

  /** @param lastEventId the client's Last-Event-ID header; null or unreadable starts from the beginning */
  static EventCursor resuming(String requestId, @Nullable String lastEventId) {
    if (lastEventId != null) {
      int dash = lastEventId.indexOf('-');
      if (dash > 0 && dash <= 10) {
        try {
          int completed = Integer.parseInt(lastEventId.substring(0, dash));
          String what = lastEventId.substring(dash + 1);
          if (completed >= 0) {
            return new EventCursor(requestId, completed, what.equals("image") ? IMAGE_RANK : rank(what));
          }
        } catch (NumberFormatException ignored) {
          // not one of ours: start from the beginning
        }
      }
    }
    return new EventCursor(requestId, -1, -1);
  }

  /** Whether the client has already seen this status's final state (it reconnected after the end). */
  boolean alreadyEnded(StatusView status) {
    return FinalStates.isFinal(status.state()) && !after(status.completed(), rank(status.state()));
  }

  /** The events {@code status} adds to what was sent; marks the cursor finished at a final state. */
  List<Event<?>> advance(StatusView status) {
    List<Event<?>> events = new ArrayList<>();
    // Images finish in index order, so completed = n means images 0..n-1 exist.
    for (int index = imagesSent; index < status.completed(); index++) {
      if (after(index + 1, IMAGE_RANK)) {
        events.add(Event.of(new ImageEvent(index, "/v1/generations/" + requestId + "/images/" + index))
            .name("image").id((index + 1) + "-image"));
      }
    }
    imagesSent = Math.max(imagesSent, status.completed());
    if (!Objects.equals(status.state(), lastState) || status.completed() != lastCompleted) {
      lastState = status.state();
      lastCompleted = status.completed();
      if (after(status.completed(), rank(status.state()))) {
        events.add(Event.of(status).name("status").id(status.completed() + "-" + status.state()));
      }
    }
    finished = FinalStates.isFinal(status.state());
    return events;
  }

  boolean finished() {
    return finished;
  }

  private boolean after(int completed, int rank) {
    return completed > resumeCompleted || (completed == resumeCompleted && rank > resumeRank);
  }

  private static int rank(String state) {
    if (FinalStates.isFinal(state)) {
      return 3;
    }
    return "RUNNING".equals(state) ? 2 : 1;
  }
}
