package dev.aligntok.inference.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT's normaliser and pre-tokenizer as Hugging Face tokenizers runs them for an uncased model:
 * drop control characters and map every white space to a space, put spaces around CJK ideographs,
 * strip accents (NFD, then drop non-spacing marks), lower-case, then split on white space and isolate
 * each punctuation character. The character classes follow the Rust definitions that library uses
 * (its {@code char::is_whitespace} is Unicode White_Space, not Java's {@code isWhitespace}).
 */
final class BertPreTokenizer {
  private BertPreTokenizer() {}

  /** The words of {@code text} (no empty ones), ready for WordPiece. */
  static List<String> words(String text) {
    String normal = lowerCase(stripAccents(spaceAroundCjk(clean(text))));
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < normal.length(); ) {
      int c = normal.codePointAt(i);
      i += Character.charCount(c);
      if (isWhitespace(c) || isPunctuation(c)) {
        flush(word, words);
        if (!isWhitespace(c)) {
          words.add(new String(Character.toChars(c)));
        }
      } else {
        word.appendCodePoint(c);
      }
    }
    flush(word, words);
    return words;
  }

  private static void flush(StringBuilder word, List<String> words) {
    if (word.length() > 0) {
      words.add(word.toString());
      word.setLength(0);
    }
  }

  private static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c != 0 && c != 0xFFFD && !isControl(c)) {
        out.appendCodePoint(isWhitespace(c) ? ' ' : c);
      }
    });
    return out.toString();
  }

  private static String spaceAroundCjk(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (isCjkIdeograph(c)) {
        out.append(' ').appendCodePoint(c).append(' ');
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static String stripAccents(String text) {
    StringBuilder out = new StringBuilder(text.length());
    Normalizer.normalize(text, Normalizer.Form.NFD).codePoints()
        .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
        .forEach(out::appendCodePoint);
    return out.toString();
  }

  /** Per code point, as Rust's {@code char::to_lowercase} (no context rules such as a final sigma). */
  private static String lowerCase(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == 0x130) { // the one unconditional multi-character lower case: İ → i + combining dot
        out.append("i\u0307");
      } else {
        out.appendCodePoint(Character.toLowerCase(c));
      }
    });
    return out.toString();
  }

  /** Rust's {@code char::is_whitespace}: the Unicode White_Space property. */
  static boolean isWhitespace(int c) {
    return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
        || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
  }

  /**
   * Categories Cc, Cf, Co and Cs, except tab, new line and carriage return (which count as white space).
   * Unassigned code points (Cn) stay: the Rust crate behind the reference has no table for them.
   */
  static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
        || type == Character.SURROGATE;
  }

  /** ASCII punctuation (which includes symbols such as $, +, ^) or any Unicode P* category. */
  static boolean isPunctuation(int c) {
    if (c < 0x80) {
      return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
          Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }

  /** The CJK ideograph blocks BERT splits into single characters (Hangul, kana are words as usual). */
  static boolean isCjkIdeograph(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
  }
}
