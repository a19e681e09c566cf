package dev.aligntok.inference.text;

/**
 * The caption a class request means on a text-conditioned bundle: "an emoji of " + the class name
 * as a phrase ("face-smiling" → "an emoji of face smiling"), the caption every image of that class
 * was trained with. The phrase: hyphens and underscores as spaces, NFKC, lower case, typographic
 * quotes as plain ones, quotes at the ends dropped, runs of white space as one; a name that makes no
 * usable phrase (no letter or digit, or longer than {@value CaptionPhrases#MAX_CHARS} characters) is used as given.
 * The one home of this rule for training captions and serving alike.
 */
public final class ClassCaption {
  /** The template of a class's caption; {@value #SLOT} stands for the phrase. */
  public static final String TEMPLATE = "an emoji of {x}";
  /** The placeholder in {@link #TEMPLATE}. */
  public static final String SLOT = "{x}";

  private ClassCaption() {}

  /**
   * @throws IllegalArgumentException if {@code className} is null
   */
  public static String of(String className) {
    if (className == null) {
      throw new IllegalArgumentException("class name must not be null");
    }
    return TEMPLATE.replace(SLOT, phrase(className));
  }

  /** A class name as the phrase captions use: "face-smiling" → "face smiling". */
  static String phrase(String className) {
    return CaptionPhrases.ofClass(className);
  }
}
