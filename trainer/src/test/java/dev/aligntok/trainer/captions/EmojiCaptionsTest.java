package dev.aligntok.trainer.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.cli.AlignTokCli;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataException;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.EmojiDataset;
import dev.aligntok.trainer.data.EmojiOptions;
import dev.aligntok.trainer.data.EmojiVendor;
import dev.aligntok.trainer.data.ImageDataset;
import dev.aligntok.trainer.data.Sample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captions of the real Google emoji joined with the real emojilib keywords. */
class EmojiCaptionsTest {
  private static DataCache cache;
  private static CaptionSet captions;

  @BeforeAll
  static void load() {
    cache = CachedEmojiData.withOrSkip(DataSources.EMOJI_GOOGLE, DataSources.EMOJILIB);
    captions = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    System.out.println("emoji-google captions: " + captions.summary());
  }

  @Test
  void heldOutPromptsAreUnambiguousWhileTrainingCaptionsAreNot() {
    // EvalPrompts drops texts two classes claim, so no text-only reader is limited by ambiguity on them;
    // the training captions share keywords across classes, which caps any reader's accuracy there
    PromptAmbiguity ambiguity = PromptAmbiguity.of(captions, captions.evalPrompts(), null);
    assertEquals(1, ambiguity.ambiguityCeiling(), 1e-12);
    assertEquals(0, ambiguity.ambiguousPromptShare(), 1e-12);
    assertEquals(0, ambiguity.promptsEqualToTrainingCaption(), 1e-12);
    assertTrue(ambiguity.trainingCaptionCeiling() < 0.95, "training ceiling " + ambiguity.trainingCaptionCeiling());
    assertTrue(ambiguity.trainingCaptionAmbiguousShare() > 0.1, "ambiguous " + ambiguity.trainingCaptionAmbiguousShare());
  }

  @Test
  void everyTrainingImageHasItsDatasetClassAndAtLeastTwoCaptions() {
    ImageDataset dataset = EmojiDataset.read(cache.dataDir(DataSources.EMOJI_GOOGLE),
        EmojiOptions.defaults(EmojiVendor.GOOGLE), new ImageDecoder());
    assertEquals(dataset.size(), captions.images().size());
    for (Sample sample : dataset.samples()) {
      ImageCaptions image = captions.of(sample.id());
      assertEquals(sample.labelName(), image.className(), sample.id());
      assertTrue(image.captions().size() >= 2, sample.id() + " has " + image.captions());
      assertEquals(image.captions().size(), new HashSet<>(image.captions()).size(), sample.id());
      assertTrue(image.captions().contains(captions.classCaption(sample.labelName())), sample.id());
    }
    assertEquals(dataset.labels().names(), captions.classes());
    // emojilib's keywords made it in: 🐶 is captioned with "puppy" in some template.
    assertTrue(captions.of("1F436").captions().stream().map(captions::caption).anyMatch(c -> c.contains("puppy"))
        || captions.heldOutKeywords().contains("puppy"), "dog face: " + texts(captions.of("1F436")));
    assertEquals("an emoji of face smiling", captions.caption(captions.classCaption("face-smiling")));
  }

  @Test
  void heldOutPhrasingsNeverOccurAmongTrainingCaptions() {
    Set<String> training = new HashSet<>(captions.trainingCaptions());
    assertFalse(captions.evalPrompts().isEmpty());
    for (EvalPrompt prompt : captions.evalPrompts()) {
      assertFalse(training.contains(prompt.text()), prompt.text());
    }
    assertFalse(captions.heldOutKeywords().isEmpty());
    for (String keyword : captions.heldOutKeywords()) {
      for (String template : CaptionTemplates.TRAINING) {
        assertFalse(training.contains(CaptionTemplates.apply(template, keyword)), keyword + " in training as " + template);
      }
    }
    for (String caption : captions.trainingCaptions()) {
      for (String template : CaptionTemplates.EVAL) {
        String prefix = template.substring(0, template.indexOf(CaptionTemplates.SLOT));
        assertFalse(caption.startsWith(prefix), caption + " uses the evaluation template " + template);
      }
    }
    Map<EvalPrompt.Kind, Long> byKind = captions.evalPrompts().stream()
        .collect(Collectors.groupingBy(EvalPrompt::kind, Collectors.counting()));
    assertEquals(Set.of(EvalPrompt.Kind.values()), byKind.keySet(), byKind.toString());
  }

  @Test
  void everyTemplateUseCaptionsEachPhraseInEveryTrainingTemplateAndKeepsTheHeldOutPrompts() {
    CaptionSet every = EmojiCaptions.load(cache, EmojiVendor.GOOGLE,
        CaptionOptions.defaults().withTemplates(CaptionOptions.TemplateUse.EVERY));
    // The same evaluation: the split does not depend on how training phrases meet templates.
    assertEquals(captions.evalPrompts(), every.evalPrompts());
    assertEquals(captions.heldOutKeywords(), every.heldOutKeywords());
    assertEquals(captions.classes(), every.classes());
    Set<String> training = new HashSet<>(every.trainingCaptions());
    assertTrue(training.containsAll(captions.trainingCaptions()), "every hashed caption is among them");
    assertTrue(training.size() > 5 * captions.trainingCaptions().size(), training.size() + " captions");
    // 😀's own name, in each of the 10 training templates and in no evaluation template.
    Set<String> grinning = every.of("1F600").captions().stream().map(every::caption).collect(Collectors.toSet());
    for (String template : CaptionTemplates.ALL_TRAINING) {
      assertTrue(grinning.contains(CaptionTemplates.apply(template, "grinning face")), template + ": " + grinning);
    }
    for (EvalPrompt prompt : every.evalPrompts()) {
      assertFalse(training.contains(prompt.text()), prompt.text());
    }
    for (String keyword : every.heldOutKeywords()) {
      for (String template : CaptionTemplates.ALL_TRAINING) {
        assertFalse(training.contains(CaptionTemplates.apply(template, keyword)), keyword + " as " + template);
      }
    }
    for (String template : CaptionTemplates.EVAL) {
      assertFalse(CaptionTemplates.ALL_TRAINING.contains(template), template);
    }
  }

  @Test
  void cldrTagsAddTrainingPhrasesButNeverAHeldOutKeyword() {
    DataCache withCldr = CachedEmojiData.withOrSkip(DataSources.EMOJIBASE);
    CaptionSet cldr = EmojiCaptions.load(withCldr, EmojiVendor.GOOGLE,
        CaptionOptions.defaults().withKeywords(CaptionOptions.KeywordSource.EMOJILIB_AND_CLDR));
    assertEquals(captions.evalPrompts(), cldr.evalPrompts(), "the held-out prompts do not depend on the CLDR tags");
    assertEquals(captions.heldOutKeywords(), cldr.heldOutKeywords());
    assertTrue(cldr.trainingCaptions().size() > captions.trainingCaptions().size() + 1000,
        cldr.trainingCaptions().size() + " vs " + captions.trainingCaptions().size());
    // 🐶's CLDR tags include "adorbs", which emojilib does not have.
    assertTrue(texts(cldr, cldr.of("1F436")).stream().anyMatch(c -> c.contains("adorbs")),
        texts(cldr, cldr.of("1F436")).toString());
    assertFalse(texts(captions.of("1F436")).stream().anyMatch(c -> c.contains("adorbs")));
    Set<String> training = new HashSet<>(cldr.trainingCaptions());
    for (String keyword : cldr.heldOutKeywords()) {
      for (String template : CaptionTemplates.ALL_TRAINING) {
        assertFalse(training.contains(CaptionTemplates.apply(template, keyword)), keyword + " as " + template);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> CaptionOptions.KeywordSource.ofKey("cldr"));
  }

  @Test
  void theClassBehindEveryEvalPromptIsAKnownClass() {
    Set<String> classes = Set.copyOf(captions.classes());
    assertEquals(99, classes.size());
    for (EvalPrompt prompt : captions.evalPrompts()) {
      assertTrue(classes.contains(prompt.className()), prompt.toString());
    }
    assertEquals(captions.evalPrompts().size(),
        captions.evalPrompts().stream().map(EvalPrompt::text).distinct().count(), "one class per prompt text");
    // A held-out name phrasing carries its emoji's class.
    assertTrue(captions.evalPrompts().contains(
        new EvalPrompt("a drawing of grinning face", "face-smiling", EvalPrompt.Kind.HELD_OUT_TEMPLATE)));
  }

  @Test
  void twoLoadsAreEqual() {
    CaptionSet again = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    assertEquals(captions.trainingCaptions(), again.trainingCaptions());
    assertEquals(captions.images(), again.images());
    assertEquals(captions.evalPrompts(), again.evalPrompts());
    assertEquals(captions.heldOutKeywords(), again.heldOutKeywords());
    assertEquals(captions.evalSubset(50, 3), again.evalSubset(50, 3));

    CaptionSet otherSplit = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, new CaptionOptions(20, 0.25, CaptionOptions.TemplateUse.ONE,
        CaptionOptions.KeywordSource.EMOJILIB));
    assertNotEquals(captions.heldOutKeywords(), otherSplit.heldOutKeywords(), "the split seed must matter");
  }

  @Test
  void drawingDependsOnlyOnSeedStepAndImage() {
    List<String> ids = captions.images().stream().limit(64).map(ImageCaptions::imageId).toList();
    CaptionSet again = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    Set<Integer> seenForGrinning = new HashSet<>();
    for (long step = 0; step < 200; step++) {
      int[] drawn = captions.draw(ids, 7, step);
      // A resumed run reloads the captions and draws step by step from where it stopped.
      assertEquals(List.of(drawn[5]), List.of(again.draw(ids.get(5), 7, step)));
      for (int i = 0; i < ids.size(); i++) {
        assertTrue(captions.of(ids.get(i)).captions().contains(drawn[i]), ids.get(i));
      }
      seenForGrinning.add(captions.draw("1F600", 7, step));
    }
    assertEquals(Set.copyOf(captions.of("1F600").captions()), seenForGrinning, "every caption is drawn in time");
    int differ = 0;
    for (String id : ids) {
      differ += captions.draw(id, 7, 0) != captions.draw(id, 8, 0) ? 1 : 0;
    }
    assertTrue(differ > 10, "another seed draws other captions: " + differ + " of " + ids.size());
    assertTrue(captions.indexOf(captions.caption(3)).isPresent());
    assertThrows(IllegalArgumentException.class, () -> captions.draw("not-an-emoji", 7, 0));
  }

  @Test
  void oddCharactersInRealNamesBecomePlainPhrases() {
    // Côte d’Ivoire: an accent and a typographic apostrophe.
    assertTrue(texts(captions.of("1F1E8-1F1EE")).stream().anyMatch(c -> c.contains("côte d'ivoire flag")),
        texts(captions.of("1F1E8-1F1EE")).toString());
    // KEYCAP: * — punctuation in the name, "keycap_" in emojilib.
    List<String> keycap = texts(captions.of("002A-FE0F-20E3"));
    assertTrue(keycap.stream().anyMatch(c -> c.contains("keycap: *")), keycap.toString());
    for (String caption : captions.trainingCaptions()) {
      assertEquals(caption.strip(), caption);
      assertFalse(caption.contains("  ") || caption.contains("\u00a0") || caption.contains("_"), caption);
      assertTrue(caption.codePoints().anyMatch(Character::isLetterOrDigit), caption);
    }
  }

  @Test
  void dataInfoShowsCaptionCountsAndExamples() {
    StringWriter out = new StringWriter();
    int exit = AlignTokCli.commandLine(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
        .execute("data", "info", "--cache", cache.root().toString());
    assertEquals(0, exit, out.toString());
    assertTrue(out.toString().contains("captions (emoji-google + emojilib): " + captions.summary()), out.toString());
    assertTrue(out.toString().contains("1F600 (face-smiling): an emoji of face smiling | "), out.toString());
    assertTrue(out.toString().contains("held out (HELD_OUT_"), out.toString());
    System.out.println(out);
  }

  @Test
  void missingEmojilibNamesTheFetchCommand(@TempDir Path empty) {
    DataException error = assertThrows(DataException.class, () -> EmojiKeywords.read(empty));
    assertTrue(error.getMessage().contains("aligntok data fetch --only emojilib"), error.getMessage());
  }

  private static List<String> texts(ImageCaptions image) {
    return texts(captions, image);
  }

  private static List<String> texts(CaptionSet set, ImageCaptions image) {
    return image.captions().stream().map(set::caption).toList();
  }
}
