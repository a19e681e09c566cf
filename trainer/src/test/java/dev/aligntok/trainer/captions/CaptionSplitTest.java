package dev.aligntok.trainer.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.data.EmojiDataset.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which keywords may be held out, on a handful of made-up emoji. */
class CaptionSplitTest {
  @TempDir
  Path emojilib;

  private static Entry emoji(String id, String subcategory, String... texts) {
    return new Entry(id, id.split("-")[0], "test", id.toLowerCase() + ".png", "Test", subcategory, List.of(texts), true,
        null);
  }

  @Test
  void onlySingleClassKeywordsThatAreNoNameAreHeldOut() throws Exception {
    Files.createDirectories(emojilib.resolve("dist"));
    Files.writeString(emojilib.resolve(EmojiKeywords.FILE), """
        {"\ud83d\udc36": ["dog_face", "puppy", "animal", "cat"],
         "\ud83d\udc31": ["cat_face", "kitten", "animal"],
         "\ud83c\udf4e": ["red_apple", "fruit", "cat face"]}
        """);
    List<Entry> entries = List.of(
        emoji("1F436", "animal-mammal", "dog face", "dog"),
        emoji("1F431", "animal-mammal", "cat face", "cat"),
        emoji("1F34E", "food-fruit", "red apple", "apple"),
        emoji("1F350", "food-fruit", ":)"),
        new Entry("1F34F", "1F34F", "test", "1f34f.png", "Test", "food-fruit", List.of("green apple"), false, null));
    // A share just below 1 holds out every eligible keyword.
    CaptionSet captions = EmojiCaptions.build(entries, EmojiKeywords.read(emojilib), new CaptionOptions(1, 0.999999, CaptionOptions.TemplateUse.ONE,
        CaptionOptions.KeywordSource.EMOJILIB));

    // "animal" is in one class, but "cat" and "cat face" are names; slugs train; "fruit" has one class.
    assertEquals(Set.of("puppy", "kitten", "animal", "fruit"), captions.heldOutKeywords());
    assertEquals(List.of("1F436", "1F431", "1F34E", "1F350"), captions.images().stream().map(ImageCaptions::imageId).toList());
    assertTrue(captions.evalPrompts().contains(
        new EvalPrompt("a drawing of fruit", "food-fruit", EvalPrompt.Kind.HELD_OUT_KEYWORD)));
    assertTrue(captions.evalPrompts().contains(
        new EvalPrompt("an illustration showing red apple", "food-fruit", EvalPrompt.Kind.HELD_OUT_TEMPLATE)));
    assertFalse(captions.evalPrompts().stream().anyMatch(prompt -> prompt.text().contains("green apple")),
        "an emoji without an image gives no prompt");
    for (ImageCaptions image : captions.images()) {
      assertTrue(image.captions().size() >= 2, image.toString());
    }
    // No usable name at all: the class caption and the class phrase in another template.
    assertEquals(List.of("an emoji of food fruit", "food fruit"),
        captions.of("1F350").captions().stream().map(captions::caption).toList());

    // Nothing held out: the keywords train, and only the template prompts remain.
    CaptionSet none = EmojiCaptions.build(entries, EmojiKeywords.read(emojilib), new CaptionOptions(1, 0, CaptionOptions.TemplateUse.ONE,
        CaptionOptions.KeywordSource.EMOJILIB));
    assertTrue(none.heldOutKeywords().isEmpty());
    assertTrue(none.trainingCaptions().stream().anyMatch(caption -> caption.contains("puppy")), none.trainingCaptions().toString());
    assertTrue(none.evalPrompts().stream().allMatch(prompt -> prompt.kind() == EvalPrompt.Kind.HELD_OUT_TEMPLATE));
  }
}
