package dev.aligntok.trainer.captions;

import dev.aligntok.inference.text.CaptionPhrases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.trainer.data.DataException;
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
 * emojilib's keywords ({@value #FILE}: emoji character → keywords), looked up by an emoji's
 * unified code points. Variation selectors (U+FE0F) are ignored on both sides, since emoji.json
 * and emojilib do not always agree on them. Keywords come out as {@link CaptionPhrases}, in emojilib's
 * order, without repeats.
 */
public final class EmojiKeywords {
  /** The keyword file inside the npm package directory. */
  public static final String FILE = "dist/emoji-en-US.json";
  private static final String VARIATION_SELECTOR = "\uFE0F";

  private final Map<String, List<String>> byCharacter;

  private EmojiKeywords(Map<String, List<String>> byCharacter) {
    this.byCharacter = byCharacter;
  }

  /** Reads the {@code package} directory of npm emojilib. */
  public static EmojiKeywords read(Path packageDir) {
    Path json = packageDir.resolve(FILE);
    if (!Files.isRegularFile(json)) {
      throw new DataException("emojilib: no " + FILE + " in " + packageDir + " (expected the 'package' directory of npm "
          + DataSources.EMOJILIB.spec() + "). Fetch it with: aligntok data fetch --only " + DataSources.EMOJILIB.key());
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json.toFile());
    } catch (IOException e) {
      throw new DataException("emojilib: cannot parse " + json + ": " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new DataException("emojilib: " + json + " is not a JSON object of emoji → keywords");
    }
    Map<String, Set<String>> merged = new HashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      Set<String> keywords = merged.computeIfAbsent(withoutSelectors(field.getKey()), key -> new LinkedHashSet<>());
      field.getValue().forEach(value -> {
        String phrase = value.isTextual() ? CaptionPhrases.of(value.asText()) : null;
        if (phrase != null) {
          keywords.add(phrase);
        }
      });
    }
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
