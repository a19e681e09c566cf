package dev.aligntok.trainer.captions;

import dev.aligntok.inference.text.ClassCaption;
import java.util.List;

/**
 * The caption templates, {@code {x}} standing for a phrase. Training captions use only
 * {@link #TRAINING}; {@link #EVAL} is reserved for the held-out evaluation prompts.
 */
public final class CaptionTemplates {
  /** The placeholder a phrase replaces. */
  public static final String SLOT = "{x}";
  /** Templates of training captions; the second one makes each class's caption. */
  public static final List<String> TRAINING = List.of("{x}", "an emoji of {x}", "an icon of {x}", "{x} emoji",
      "a picture of {x}");
  /** Templates no training caption uses. */
  public static final List<String> EVAL = List.of("a drawing of {x}", "an illustration showing {x}");
  /** The template of a class's own caption ({@code classId} requests use it). */
  public static final String CLASS = ClassCaption.TEMPLATE;

  private CaptionTemplates() {}

  public static String apply(String template, String phrase) {
    return template.replace(SLOT, phrase);
  }
}
