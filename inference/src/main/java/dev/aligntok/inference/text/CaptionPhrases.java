package dev.aligntok.inference.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a name, short name or keyword into the phrase captions use: NFKC (no-break spaces become
 * spaces), lower case, {@code _} as a space, typographic quotes as plain ones, quotes at the ends
 * dropped, runs of white space as one space. Phrases without a letter or digit (":)") or longer
 * than {@value #MAX_CHARS} characters are not used. The one rule shared by the trainer's captions
 * and the service's class captions ({@link ClassCaption}).
 */
public final class CaptionPhrases {
  /** Longer phrases are dropped, so no caption grows with the input. */
  public static final int MAX_CHARS = 100;
  private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");
  private static final Pattern END_QUOTES = Pattern.compile("^[\"']+|[\"']+$");

  private CaptionPhrases() {}

  /** The phrase, or null when the text makes no usable phrase. */
  public static String of(String raw) {
    if (raw == null) {
      return null;
    }
    String text = Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).replace('_', ' ')
        .replace('\u2018', '\'').replace('\u2019', '\'').replace('\u201c', '"').replace('\u201d', '"');
    text = SPACES.matcher(text).replaceAll(" ").strip();
    text = END_QUOTES.matcher(text).replaceAll("").strip();
    if (text.isEmpty() || text.length() > MAX_CHARS || text.codePoints().noneMatch(Character::isLetterOrDigit)) {
      return null;
    }
    return text;
  }

  /** A class name as a phrase: "face-smiling" → "face smiling". */
  public static String ofClass(String className) {
    String phrase = of(className.replace('-', ' '));
    return phrase != null ? phrase : className;
  }
}
