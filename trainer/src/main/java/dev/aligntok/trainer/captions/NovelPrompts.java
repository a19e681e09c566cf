package dev.aligntok.trainer.captions;

import java.util.List;

/**
 * Prompts that compose things no single emoji shows (an animal with an accessory, an object in an
 * odd place, a colour on a shape it never has): what {@code aligntok sample} draws on a text DiT
 * when no prompt is given, for the novel-prompt grid in the docs.
 */
public final class NovelPrompts {
  public static final List<String> DEFAULT = List.of(
      "a smiling cat wearing sunglasses",
      "a red car on the moon",
      "a dog with a party hat",
      "a blue heart with stars",
      "a sad pizza",
      "a green apple in the rain",
      "a robot holding a flower",
      "a yellow fish with a crown");

  private NovelPrompts() {}
}
