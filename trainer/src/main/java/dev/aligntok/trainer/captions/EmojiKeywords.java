package dev.aligntok.trainer.captions;

import dev.aligntok.inference.text.CaptionPhrases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.trainer.data.DataException;
import dev.aligntok.trainer.data.DataSource;
import dev.aligntok.trainer.data.DataSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keywords per emoji, looked up by an emoji's unified code points: emojilib's ({@value #FILE}:
 * emoji character → keywords) or the Unicode CLDR annotation tags of emojibase-data
 * ({@value #CLDR_FILE}: objects with {@code emoji} and {@code tags}). Variation selectors (U+FE0F)
 * are ignored on both sides, since emoji.json and emojilib do not always agree on them. Keywords
 * come out as {@link CaptionPhrases}, in their source's order, without repeats.
 */
public final class EmojiKeywords {
  /** The keyword file inside the npm package directory. */
  public static final String FILE = "dist/emoji-en-US.json";
  /** The English CLDR annotations inside emojibase-data's package directory. */
  public static final String CLDR_FILE = "en/data.json";
  private static final String VARIATION_SELECTOR = "\uFE0F";

  private final Map<String, List<String>> byCharacter;

  private EmojiKeywords(Map<String, List<String>> byCharacter) {
    this.byCharacter = byCharacter;
  }

  /** Reads the {@code package} directory of npm emojilib. */
  public static EmojiKeywords read(Path packageDir) {
    JsonNode root = parse(packageDir, FILE, DataSources.EMOJILIB);
    if (!root.isObject()) {
      throw new DataException("emojilib: " + packageDir.resolve(FILE) + " is not a JSON object of emoji → keywords");
    }
    Map<String, Set<String>> merged = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      addAll(merged, field.getKey(), field.getValue());
    }
    return of(merged);
  }

  /** Reads the English CLDR tags from the {@code package} directory of npm emojibase-data. */
  public static EmojiKeywords readCldr(Path packageDir) {
    JsonNode root = parse(packageDir, CLDR_FILE, DataSources.EMOJIBASE);
    if (!root.isArray()) {
      throw new DataException("emojibase: " + packageDir.resolve(CLDR_FILE) + " is not a JSON array of emoji");
    }
    Map<String, Set<String>> merged = new HashMap<>();
    root.forEach(emoji -> {
      if (emoji.path("emoji").isTextual()) {
        addAll(merged, emoji.get("emoji").asText(), emoji.path("tags"));
      }
    });
    return of(merged);
  }

  private static JsonNode parse(Path packageDir, String file, DataSource source) {
    Path json = packageDir.resolve(file);
    if (!Files.isRegularFile(json)) {
      throw new DataException(source.key() + ": no " + file + " in " + packageDir + " (expected the 'package' directory "
          + "of npm " + source.spec() + "). Fetch it with: aligntok data fetch --only " + source.key());
    }
    try {
      JsonNode root = new ObjectMapper().readTree(json.toFile());
      if (root == null) {
        throw new DataException(source.key() + ": " + json + " is empty");
      }
      return root;
    } catch (IOException e) {
      throw new DataException(source.key() + ": cannot parse " + json + ": " + e.getMessage(), e);
    }
  }

  /** Adds the textual entries of {@code values} (an array) as phrases of {@code character}. */
  private static void addAll(Map<String, Set<String>> merged, String character, JsonNode values) {
    Set<String> keywords = merged.computeIfAbsent(withoutSelectors(character), key -> new LinkedHashSet<>());
    values.forEach(value -> {
      String phrase = value.isTextual() ? CaptionPhrases.of(value.asText()) : null;
      if (phrase != null) {
        keywords.add(phrase);
      }
    });
  }

  private static EmojiKeywords of(Map<String, Set<String>> merged) {
    Map<String, List<String>> byCharacter = new HashMap<>();
    merged.forEach((character, keywords) -> byCharacter.put(character, List.copyOf(keywords)));
    return new EmojiKeywords(byCharacter);
  }

  /** The keywords of an emoji given as code points ({@code 2764-FE0F}); empty when emojilib has none. */
  public List<String> of(String unified) {
    String character = character(unified);
    return character == null ? List.of() : byCharacter.getOrDefault(withoutSelectors(character), List.of());
  }

  /** How many emoji have keywords. */
  public int size() {
    return byCharacter.size();
  }

  /** "1F44B-1F3FB" → the characters; null when it is not hex code points. */
  static String character(String unified) {
    StringBuilder text = new StringBuilder();
    for (String part : unified.split("-")) {
      try {
        int codePoint = Integer.parseInt(part, 16);
        if (!Character.isValidCodePoint(codePoint)) {
          return null;
        }
        text.appendCodePoint(codePoint);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return text.toString();
  }

  private static String withoutSelectors(String text) {
    return text.replace(VARIATION_SELECTOR, "");
  }
}
