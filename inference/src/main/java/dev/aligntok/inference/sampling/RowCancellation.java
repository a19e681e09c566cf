package dev.aligntok.inference.sampling;

/**
 * Which rows of a {@link FlowSampler} run are cancelled now. The sampler asks between steps, for
 * the rows still running only, and drops a cancelled row from every later model call: the other
 * rows go on, in a smaller (cheaper) batch. Must be cheap: it is asked once per live row per step.
 */
@FunctionalInterface
public interface RowCancellation {
  /** Nothing is ever cancelled. */
  RowCancellation NONE = row -> false;

  /** @param row 0..n−1, the row's index in the sampler's input */
  boolean cancelled(int row);
}
