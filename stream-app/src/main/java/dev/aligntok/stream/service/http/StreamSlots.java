package dev.aligntok.stream.service.http;

import io.micronaut.core.annotation.Nullable;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The event streams one instance holds open, in total and per caller. A stream takes a {@link Slot}
 * before it opens and gives it back once, however it ends (final state, maximum duration, client gone,
 * error). A caller's entry lives only while it has a stream open, so the map holds at most
 * {@code maxTotal} entries whatever the number of callers seen.
 */
final class StreamSlots {
  /** Why a slot was refused. */
  enum Refusal { INSTANCE_FULL, CALLER_FULL }

  /** One open stream's place; {@link #release()} is idempotent. */
  final class Slot {
    @Nullable
    private final String caller;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(@Nullable String caller) {
      this.caller = caller;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        give(caller);
      }
    }
  }

  /** Exactly one of the two is set. */
  record Outcome(Slot slot, Refusal refusal) {}

  private final int maxTotal;
  private final int maxPerCaller;
  private final Map<String, Integer> perCaller = new HashMap<>();
  private int total;

  StreamSlots(int maxTotal, int maxPerCaller) {
    this.maxTotal = maxTotal;
    this.maxPerCaller = maxPerCaller;
  }

  /**
   * A slot for {@code caller} (its owner name), or why there is none. A null caller (authentication
   * off: every client is the same anonymous caller) counts only against the instance's cap.
   */
  synchronized Outcome take(@Nullable String caller) {
    if (total >= maxTotal) {
      return new Outcome(null, Refusal.INSTANCE_FULL);
    }
    if (caller != null) {
      int held = perCaller.getOrDefault(caller, 0);
      if (held >= maxPerCaller) {
        return new Outcome(null, Refusal.CALLER_FULL);
      }
      perCaller.put(caller, held + 1);
    }
    total++;
    return new Outcome(new Slot(caller), null);
  }

  private synchronized void give(@Nullable String caller) {
    total--;
    if (caller != null) {
      // Only taken slots come back, once each: an entry at one is removed, never left at zero.
      perCaller.computeIfPresent(caller, (key, held) -> held <= 1 ? null : held - 1);
    }
  }

  /** Streams open now. */
  synchronized int open() {
    return total;
  }

  /** Streams {@code caller} has open now. */
  synchronized int open(String caller) {
    return perCaller.getOrDefault(caller, 0);
  }

  /** Callers with a stream open now (the size of the per-caller map). */
  synchronized int callers() {
    return perCaller.size();
  }
}
