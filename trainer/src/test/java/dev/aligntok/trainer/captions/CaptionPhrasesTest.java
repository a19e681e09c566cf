package dev.aligntok.trainer.captions;

import dev.aligntok.inference.text.CaptionPhrases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.data.DataException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Odd characters in names and keywords, and emojilib files that do not look right. */
class CaptionPhrasesTest {
  @TempDir
  Path packageDir;

  @Test
  void oddTextsBecomePlainPhrasesOrNone() {
    assertEquals("côte d'ivoire flag", CaptionPhrases.of("Côte d\u2019Ivoire Flag"));
    assertEquals("fog bridge", CaptionPhrases.of("fog\u00a0bridge"));
    assertEquals("discount", CaptionPhrases.of("\u201cdiscount\u201d"));
    assertEquals("keycap", CaptionPhrases.of("keycap_"));
    assertEquals("slightly smiling face", CaptionPhrases.of("slightly_smiling_face"));
    assertEquals("keycap: *", CaptionPhrases.of("KEYCAP: *"));
    assertEquals("+1", CaptionPhrases.of("+1"));
    assertNull(CaptionPhrases.of(":)"));
    assertNull(CaptionPhrases.of("  \u00a0 "));
    assertNull(CaptionPhrases.of("x".repeat(CaptionPhrases.MAX_CHARS + 1)));
    assertEquals("face smiling", CaptionPhrases.ofClass("face-smiling"));
  }

  @Test
  void keywordsAreFoundWithOrWithoutVariationSelectors() throws Exception {
    Files.createDirectories(packageDir.resolve("dist"));
    Files.writeString(packageDir.resolve(EmojiKeywords.FILE), """
        {"\u2764\ufe0f": ["red_heart", "love", ":)", "love"],
         "\u263a": ["smiling_face", "\u201chappy\u201d"],
         "\ud83d\ude00": "not a list"}
        """);
    EmojiKeywords keywords = EmojiKeywords.read(packageDir);
    assertEquals(List.of("red heart", "love"), keywords.of("2764"));
    assertEquals(List.of("red heart", "love"), keywords.of("2764-FE0F"));
    assertEquals(List.of("smiling face", "happy"), keywords.of("263A-FE0F"));
    assertEquals(List.of(), keywords.of("1F600"));
    assertEquals(List.of(), keywords.of("NOT-HEX"));
    assertEquals(List.of(), keywords.of("110000"));
  }

  @Test
  void aBrokenKeywordFileIsNamed() throws Exception {
    Files.createDirectories(packageDir.resolve("dist"));
    Files.writeString(packageDir.resolve(EmojiKeywords.FILE), "[1, 2]");
    DataException notObject = assertThrows(DataException.class, () -> EmojiKeywords.read(packageDir));
    assertTrue(notObject.getMessage().contains("is not a JSON object"), notObject.getMessage());
    Files.writeString(packageDir.resolve(EmojiKeywords.FILE), "{\"a\": [");
    DataException unparsable = assertThrows(DataException.class, () -> EmojiKeywords.read(packageDir));
    assertTrue(unparsable.getMessage().startsWith("emojilib: cannot parse"), unparsable.getMessage());
  }
}
