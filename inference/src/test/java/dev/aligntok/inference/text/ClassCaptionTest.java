package dev.aligntok.inference.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The caption of a class request: the training template around the class name as a phrase. */
class ClassCaptionTest {
  @Test
  void aClassNameBecomesItsCaption() {
    assertEquals("an emoji of face smiling", ClassCaption.of("face-smiling"));
    assertEquals("an emoji of animal bird", ClassCaption.of("Animal_Bird"));
    assertEquals("an emoji of hand fingers open", ClassCaption.of("hand-fingers-open"));
    assertEquals("an emoji of arrow", ClassCaption.of("  \u2018arrow\u2019 "));
    assertEquals("an emoji of cat face", ClassCaption.of("cat\u00a0-\tface"), "no-break space and tab as one space");
  }

  @Test
  void aNameWithoutAUsablePhraseIsUsedAsGiven() {
    assertEquals("an emoji of --", ClassCaption.of("--"));
    String tooLong = "a".repeat(CaptionPhrases.MAX_CHARS + 1);
    assertEquals("an emoji of " + tooLong, ClassCaption.of(tooLong));
    assertThrows(IllegalArgumentException.class, () -> ClassCaption.of(null));
  }
}
