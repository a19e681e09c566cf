package dev.aligntok.stream.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The form of a request or image id: 1 to {@code maxLength} characters of {@code [A-Za-z0-9._:-]}.
 * Ids become Kafka keys of compacted topics, file names and URL path segments, so they are limited
 * to characters that need no escaping anywhere; UUIDs and the quickstart's ids fit.
 *
 * @param maxLength longest id, in characters
 */
public record RequestIdFormat(int maxLength) {
  /** The characters an id may use. */
  public static final String ALLOWED_CHARACTERS = "[A-Za-z0-9._:-]";
  private static final Pattern ALLOWED = Pattern.compile(ALLOWED_CHARACTERS + "+");

  public RequestIdFormat {
    if (maxLength < 1) {
      throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
    }
  }

  /**
   * What is wrong with {@code id}, if anything, as a phrase that follows "id"; it never quotes the id
   * (which may be huge). The length is checked before the characters.
   */
  public Optional<String> problem(String id) {
    if (id == null || id.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (id.length() > maxLength) {
      return Optional.of(String.format(Locale.ROOT, "has %,d characters, more than the limit of %,d",
          id.length(), maxLength));
    }
    if (!ALLOWED.matcher(id).matches()) {
      return Optional.of("may only contain letters, digits, '.', '_', ':' and '-'");
    }
    return Optional.empty();
  }

  public boolean accepts(String id) {
    return problem(id).isEmpty();
  }
}
