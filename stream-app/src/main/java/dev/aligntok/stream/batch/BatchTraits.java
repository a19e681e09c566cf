package dev.aligntok.stream.batch;

/**
 * What batch formation needs to know about a queued record.
 *
 * @param priority      higher runs first
 * @param deadlineMs    among equal priorities, earlier runs first; {@link #NO_DEADLINE} when none
 * @param units         how much of a batch it takes (1 per image; a generation request's count)
 * @param compatibility records run together only when these are equal (for example sampler settings)
 */
public record BatchTraits(int priority, long deadlineMs, int units, String compatibility) {
  public static final long NO_DEADLINE = Long.MAX_VALUE;

  public BatchTraits {
    if (units < 1) {
      throw new IllegalArgumentException("units must be >= 1, got " + units);
    }
    if (compatibility == null) {
      throw new IllegalArgumentException("compatibility must not be null (use \"\" when everything batches together)");
    }
  }

  /** First in, first out: no priority, no deadline, everything compatible. */
  public static BatchTraits fifo(int units) {
    return new BatchTraits(0, NO_DEADLINE, units, "");
  }

  public boolean hasDeadline() {
    return deadlineMs != NO_DEADLINE;
  }
}
