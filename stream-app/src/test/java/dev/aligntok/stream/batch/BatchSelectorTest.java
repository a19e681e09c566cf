package dev.aligntok.stream.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSelectorTest {
  private static QueueEntry entry(long sequence, int priority, long deadline, int units, String compatibility) {
    return new QueueEntry(sequence, 0L, "r" + sequence, new BatchTraits(priority, deadline, units, compatibility));
  }

  private static List<Long> sequences(List<QueueEntry> batch) {
    return batch.stream().map(QueueEntry::sequence).toList();
  }

  @Test
  void priorityThenDeadlineThenArrival() {
    List<QueueEntry> queued = List.of(
        entry(0, 0, BatchTraits.NO_DEADLINE, 1, ""),
        entry(1, 0, 500L, 1, ""),
        entry(2, 1, BatchTraits.NO_DEADLINE, 1, ""),
        entry(3, 0, 100L, 1, ""),
        entry(4, 0, BatchTraits.NO_DEADLINE, 1, ""));
    assertEquals(List.of(2L, 3L, 1L, 0L, 4L), sequences(new BatchSelector(10).select(queued)));
  }

  @Test
  void fillsWithCompatibleEntriesThatFitAndSkipsTheRest() {
    List<QueueEntry> queued = List.of(
        entry(0, 0, BatchTraits.NO_DEADLINE, 2, "a"),
        entry(1, 0, BatchTraits.NO_DEADLINE, 1, "b"),
        entry(2, 0, BatchTraits.NO_DEADLINE, 3, "a"),
        entry(3, 0, BatchTraits.NO_DEADLINE, 2, "a"));
    assertEquals(List.of(0L, 3L), sequences(new BatchSelector(4).select(queued)));
  }

  @Test
  void anEntryLargerThanABatchStillRunsAlone() {
    List<QueueEntry> queued = List.of(entry(0, 0, BatchTraits.NO_DEADLINE, 9, ""), entry(1, 0, BatchTraits.NO_DEADLINE, 1, ""));
    assertEquals(List.of(0L), sequences(new BatchSelector(4).select(queued)));
  }
}
