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
  /**
   * More training templates, used only with {@link CaptionOptions.TemplateUse#EVERY} (kept apart so
   * that {@link CaptionOptions.TemplateUse#ONE}'s hashed choice among {@link #TRAINING} stays what
   * earlier runs trained on). None is an {@link #EVAL} template.
   */
  public static final List<String> TRAINING_EXTRA = List.of("a photo of {x}", "a cartoon of {x}", "{x} sticker",
      "the {x} symbol", "a small image of {x}");
  /** Every template a training caption can use: {@link #TRAINING}, then {@link #TRAINING_EXTRA}. */
  public static final List<String> ALL_TRAINING = java.util.stream.Stream.concat(TRAINING.stream(),
      TRAINING_EXTRA.stream()).toList();
  /** Templates no training caption uses. */
  public static final List<String> EVAL = List.of("a drawing of {x}", "an illustration showing {x}");
  /** The template of a class's own caption ({@code classId} requests use it). */
  public static final String CLASS = ClassCaption.TEMPLATE;

  private CaptionTemplates() {}

  public static String apply(String template, String phrase) {
    return template.replace(SLOT, phrase);
  }
}
