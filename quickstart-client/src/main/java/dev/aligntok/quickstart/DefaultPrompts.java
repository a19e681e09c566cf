package dev.aligntok.quickstart;

import dev.aligntok.inference.label.LabelVocabulary;
import java.util.List;

/**
 * Prompts to use when none are given: a few emoji subcategories the default bundle was trained on,
 * those of them the bundle's vocabulary knows; for a bundle that knows none of them (another
 * dataset), its first labels, so the client still works on any bundle.
 */
public final class DefaultPrompts {
  /**
   * Emoji subcategory names (emoji.json) that look different from one another and that the default
   * demo DiT draws recognisably (docs/diffusion-2026-11-29: large classes; animal-mammal or
   * food-fruit come out as blobs at this training budget).
   */
  static final List<String> EMOJI_SUBCATEGORIES =
      List.of("family", "person-role", "country-flag", "person-activity", "hand-fingers-open");

  /**
   * Free-text defaults for a text-conditioned bundle: the classes above in everyday words, plus a
   * composition no emoji has ({@code Quickstart.prompts} picks them when the bundle is a text bundle).
   */
  static final List<String> FREE_TEXT = List.of("a family with two children", "a firefighter at work",
      "the flag of a country", "a person running", "an open hand waving", "a smiling cat wearing sunglasses");

  private DefaultPrompts() {}

  /** The free-text defaults ({@link #FREE_TEXT}), for a bundle that takes any text. */
  public static List<String> forFreeText() {
    return FREE_TEXT;
  }

  public static List<String> forVocabulary(LabelVocabulary vocabulary) {
    List<String> known = EMOJI_SUBCATEGORIES.stream().filter(name -> vocabulary.lookup(name).isPresent()).toList();
    if (!known.isEmpty()) {
      return known;
    }
    return vocabulary.names().subList(0, Math.min(EMOJI_SUBCATEGORIES.size(), vocabulary.size()));
  }
}
