package dev.aligntok.stream.webhook;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs webhook attempts on the shared workers with at most {@code perLane} of one lane's in
 * progress at once; the rest wait in the lane's own queue, in order. A lane is one caller, so a
 * caller whose receivers hang holds that many threads, never all of them. Thread-safe; a lane
 * exists only while it has attempts running or waiting.
 */
final class CallerLanes {
  private final Executor workers;
  private final int perLane;
  private final Map<String, Lane> lanes = new HashMap<>();

  private static final class Lane {
    int running;
    final Queue<Runnable> waiting = new ArrayDeque<>();
  }

  CallerLanes(Executor workers, int perLane) {
    if (perLane < 1) {
      throw new IllegalArgumentException("perLane must be at least 1, got " + perLane);
    }
    this.workers = workers;
    this.perLane = perLane;
  }

  /** Runs {@code attempt} now if {@code lane} has room, else after the lane's earlier attempts. */
  void submit(String lane, Runnable attempt) {
    synchronized (lanes) {
      Lane state = lanes.computeIfAbsent(lane, l -> new Lane());
      if (state.running >= perLane) {
        state.waiting.add(attempt);
        return;
      }
      state.running++;
    }
    start(lane, attempt);
  }

  /** Attempts running or waiting in {@code lane}. */
  int size(String lane) {
    synchronized (lanes) {
      Lane state = lanes.get(lane);
      return state == null ? 0 : state.running + state.waiting.size();
    }
  }

  private void start(String lane, Runnable attempt) {
    try {
      workers.execute(() -> {
        try {
          attempt.run();
        } finally {
          next(lane);
        }
      });
    } catch (RejectedExecutionException e) {
      // The workers are shut down: the delivery is closing, and unfinished calls repeat after a restart.
    }
  }

  /** One of the lane's attempts finished: start its next one, or forget the idle lane. */
  private void next(String lane) {
    Runnable following;
    synchronized (lanes) {
      Lane state = lanes.get(lane);
      following = state.waiting.poll();
      if (following == null) {
        state.running--;
        if (state.running == 0) {
          lanes.remove(lane);
        }
        return;
      }
    }
    start(lane, following);
  }
}
