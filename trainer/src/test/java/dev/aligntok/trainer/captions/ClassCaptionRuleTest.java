package dev.aligntok.trainer.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.inference.text.ClassCaption;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.EmojiVendor;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A class request on a text bundle means the class's caption; the service builds it from the class
 * name alone ({@link ClassCaption#of}), so every class caption the trainer trains on must be exactly
 * that text — for the emoji names, "an emoji of " + the name with '-' as spaces, lower case.
 */
class ClassCaptionRuleTest {
  @Test
  void everyClassCaptionOfTheEmojiSetFollowsTheRule() {
    DataCache cache = CachedEmojiData.withOrSkip(DataSources.EMOJI_GOOGLE, DataSources.EMOJILIB);
    CaptionSet captions = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    assertEquals(99, captions.classes().size());
    assertEquals("an emoji of face smiling", captions.caption(captions.classCaption("face-smiling")));
    for (String name : captions.classes()) {
      String caption = captions.caption(captions.classCaption(name));
      assertEquals(ClassCaption.of(name), caption, name);
      assertEquals("an emoji of " + name.replace('-', ' ').toLowerCase(Locale.ROOT), caption, name);
    }
  }
}
