package dev.aligntok.stream.batch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Picks the next batch: the first entry in {@link BatchOrder#RUN_FIRST} order always goes (so a
 * record larger than a batch still runs, alone), then, in the same order, every entry compatible
 * with it that still fits in {@code maxUnits}.
 */
public final class BatchSelector {
  private final int maxUnits;

  public BatchSelector(int maxUnits) {
    if (maxUnits < 1) {
      throw new IllegalArgumentException("maxUnits must be >= 1, got " + maxUnits);
    }
    this.maxUnits = maxUnits;
  }

  public List<QueueEntry> select(Collection<QueueEntry> queued) {
    List<QueueEntry> ordered = new ArrayList<>(queued);
    ordered.sort(BatchOrder.RUN_FIRST);
    List<QueueEntry> batch = new ArrayList<>();
    if (ordered.isEmpty()) {
      return batch;
    }
    QueueEntry head = ordered.get(0);
    batch.add(head);
    int units = head.traits().units();
    for (QueueEntry next : ordered.subList(1, ordered.size())) {
      if (units >= maxUnits) {
        break;
      }
      boolean compatible = next.traits().compatibility().equals(head.traits().compatibility());
      if (compatible && units + next.traits().units() <= maxUnits) {
        batch.add(next);
        units += next.traits().units();
      }
    }
    return batch;
  }
}
