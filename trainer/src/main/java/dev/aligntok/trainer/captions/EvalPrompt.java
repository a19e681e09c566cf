package dev.aligntok.trainer.captions;

/**
 * A held-out prompt for evaluating prompt consistency: a phrasing no training caption uses.
 *
 * @param text the prompt
 * @param className the emoji class (subcategory) behind it, which the class probe should find
 * @param kind what is new about it
 */
public record EvalPrompt(String text, String className, Kind kind) {
  /** What a held-out prompt has that training never saw. */
  public enum Kind {
    /** A keyword no training caption contains as a phrase, in an evaluation template. */
    HELD_OUT_KEYWORD,
    /** An emoji's name (seen in training) in an evaluation-only template. */
    HELD_OUT_TEMPLATE
  }
}
