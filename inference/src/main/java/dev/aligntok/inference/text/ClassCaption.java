package dev.aligntok.inference.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The caption a class request means on a text-conditioned bundle: "an emoji of " + the class name
 * as a phrase ("face-smiling" → "an emoji of face smiling"), the caption every image of that class
 * was trained with. The phrase: hyphens and underscores as spaces, NFKC, lower case, typographic
 * quotes as plain ones, quotes at the ends dropped, runs of white space as one; a name that makes no
 * usable phrase (no letter or digit, or longer than {@value #MAX_PHRASE} characters) is used as given.
 * The one home of this rule for training captions and serving alike.
 */
public final class ClassCaption {
  /** The template of a class's caption; {@value #SLOT} stands for the phrase. */
  public static final String TEMPLATE = "an emoji of {x}";
  /** The placeholder in {@link #TEMPLATE}. */
  public static final String SLOT = "{x}";
  /** Longer phrases are not used as phrases (the name is kept as given). */
  static final int MAX_PHRASE = 100;

  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
  private static final Pattern END_QUOTES = Pattern.compile("^[\"']+|[\"']+$");

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
    String text = Normalizer.normalize(className.replace('-', ' '), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
        .replace('_', ' ').replace('\u2018', '\'').replace('\u2019', '\'').replace('\u201c', '"').replace('\u201d', '"');
    text = END_QUOTES.matcher(SPACES.matcher(text).replaceAll(" ").strip()).replaceAll("").strip();
    boolean usable = !text.isEmpty() && text.length() <= MAX_PHRASE && text.codePoints().anyMatch(Character::isLetterOrDigit);
    return usable ? text : className;
  }
}
