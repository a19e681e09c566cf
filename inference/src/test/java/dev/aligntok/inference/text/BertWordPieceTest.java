package dev.aligntok.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BertWordPieceTest {
  private static BertWordPiece ours;
  private static HuggingFaceReference reference;

  @BeforeAll
  static void load() {
    ours = BertWordPiece.fromTokenizerJson(TextEncoderArtifact.MINILM_L6_V2_Q.readTokenizer(), "tokenizer.json");
    reference = new HuggingFaceReference();
  }

  @AfterAll
  static void close() {
    reference.close();
  }

  @Test
  void sameIdsAsHuggingFaceOnVariedPrompts() {
    List<String> prompts = TokenizerPrompts.all();
    assertTrue(prompts.size() >= 100, "prompts: " + prompts.size());
    List<String> differences = new ArrayList<>();
    for (String prompt : prompts) {
      long[] expected = reference.ids(prompt);
      long[] actual = Arrays.stream(ours.encode(prompt)).asLongStream().toArray();
      if (!Arrays.equals(expected, actual)) {
        differences.add(escape(prompt) + "\n    hf:   " + Arrays.toString(expected) + "\n    ours: "
            + Arrays.toString(actual));
      }
    }
    assertTrue(differences.isEmpty(), differences.size() + " of " + prompts.size() + " prompts differ:\n  "
        + String.join("\n  ", differences));
  }

  @Test
  void framesWithClsAndSepAndTruncatesTo128() {
    assertArrayEquals(new int[] {101, 102}, ours.encode(""));
    assertEquals(128, ours.maxLength());
    int[] ids = ours.encode("cat ".repeat(1000));
    assertEquals(128, ids.length);
    assertEquals(101, ids[0]);
    assertEquals(102, ids[127]);
  }

  @Test
  void refusesATokenizerItDoesNotImplement() {
    String json = new String(TextEncoderArtifact.MINILM_L6_V2_Q.readTokenizer(), StandardCharsets.UTF_8)
        .replace("\"lowercase\": true", "\"lowercase\": false").replace("\"lowercase\":true", "\"lowercase\":false");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> BertWordPiece.fromTokenizerJson(json.getBytes(StandardCharsets.UTF_8), "cased.json"));
    assertEquals("cased.json: normalizer.lowercase is 'false', only 'true' is supported", e.getMessage());
    IllegalArgumentException notJson = assertThrows(IllegalArgumentException.class,
        () -> BertWordPiece.fromTokenizerJson("{".getBytes(StandardCharsets.UTF_8), "broken.json"));
    assertTrue(notJson.getMessage().startsWith("broken.json: "), notJson.getMessage());
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(80).forEach(c -> {
      if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u{%x}", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }
}
