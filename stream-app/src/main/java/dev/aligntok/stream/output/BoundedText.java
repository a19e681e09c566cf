package dev.aligntok.stream.output;

/**
 * Caps text the service writes into records and logs (error messages, ids read from bad input), so
 * an input can never be echoed back at its own size. The cut is marked and says how much was cut.
 */
public final class BoundedText {
  /** Longest text kept, in UTF-16 characters (at most about 3 KB of UTF-8). */
  public static final int MAX_CHARS = 1_000;
  /** Upper bound of the UTF-8 size of any text this class returns. */
  public static final int MAX_UTF8_BYTES = 3 * MAX_CHARS + 64;

  private BoundedText() {}

  /** {@code text} unchanged when it has at most {@link #MAX_CHARS} characters, else its start and a marker; null stays null. */
  public static String of(String text) {
    return of(text, MAX_CHARS);
  }

  /** As {@link #of(String)}, for places that keep less (a log line, an HTTP answer). */
  public static String of(String text, int maxChars) {
    if (text == null || text.length() <= maxChars) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
    return text.substring(0, end) + "… [" + (text.length() - end) + " more characters cut]";
  }
}
