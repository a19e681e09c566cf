package dev.aligntok.trainer.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.EmojiVendor;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A class request on a text bundle means the class's caption; the service builds it from the class
 * name alone (inference.text.ClassCaption.of, agreed for issue 19), so the trainer's class captions
 * must follow exactly this rule: "an emoji of " + the class name with '-' as spaces, lower case.
 */
class ClassCaptionRuleTest {
  static String rule(String className) {
    return "an emoji of " + className.replace('-', ' ').toLowerCase(Locale.ROOT);
  }

  @Test
  void everyClassCaptionOfTheEmojiSetFollowsTheRule() {
    DataCache cache = CachedEmojiData.withOrSkip(DataSources.EMOJI_GOOGLE, DataSources.EMOJILIB);
    CaptionSet captions = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    assertEquals(99, captions.classes().size());
    assertEquals("an emoji of face smiling", captions.caption(captions.classCaption("face-smiling")));
    for (String name : captions.classes()) {
      assertEquals(rule(name), captions.caption(captions.classCaption(name)), name);
    }
  }
}
