package dev.aligntok.trainer.captions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.captions.EvalPrompt.Kind;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The encoder-free ambiguity ceiling, on caption sets whose answer is worked out by hand. */
class PromptAmbiguityTest {
  private static final String HAPPY = "a drawing of happy";
  private static final String CAT = "a drawing of cat";
  private static final String DOG = "an illustration showing dog";

  /** Classes a and b share the keyword "happy": the process makes it twice from a, once from b. */
  private static final List<EvalPrompt> PROCESS = List.of(prompt(HAPPY, "a"), prompt(HAPPY, "a"), prompt(HAPPY, "b"),
      prompt(CAT, "a"), prompt(DOG, "b"));

  /** Training: "happy" is a caption of an a image and a b image; b2 is not a training image. */
  private static final List<String> CAPTIONS = List.of("happy", "an emoji of cat", "dog emoji");
  private static final List<ImageCaptions> IMAGES = List.of(new ImageCaptions("a1", "a", List.of(0, 1)),
      new ImageCaptions("b1", "b", List.of(0, 2)), new ImageCaptions("b2", "b", List.of(2, 0)));

  @Test
  void ceilingReadersAndSharesMatchTheHandCount() {
    // "A Drawing of  HAPPY" is the same text to an uncased tokenizer
    List<EvalPrompt> scored = List.of(prompt("A Drawing of  HAPPY", "a"), prompt(HAPPY, "b"), prompt(CAT, "a"),
        prompt(DOG, "b"));
    PromptAmbiguity ambiguity = PromptAmbiguity.of(scored, PROCESS, IMAGES, CAPTIONS, Set.of("a1", "b1"));

    assertEquals(4, ambiguity.prompts());
    // Σ_t max_c n(c,t) / Σ n = (2 + 1 + 1) / 5
    assertEquals(0.8, ambiguity.ambiguityCeiling(), 1e-12);
    // argmax says a for "happy": right for the a prompt, wrong for the b one, right for cat and dog
    assertEquals(0.75, ambiguity.argmaxReaderAccuracy(), 1e-12);
    // (2/3 + 1/3 + 1 + 1) / 4
    assertEquals(0.75, ambiguity.proportionalReaderAccuracy(), 1e-12);
    assertEquals(0.5, ambiguity.ambiguousPromptShare(), 1e-12);
    assertEquals(1.5, ambiguity.meanClassesPerPrompt(), 1e-12);
    assertEquals(0, ambiguity.promptsEqualToTrainingCaption(), 1e-12);

    // DiT draws over a1, b1: (happy, a) ½, (cat, a) ½, (happy, b) ½, (dog, b) ½ → ceiling 1.5 / 2, half the mass ambiguous
    assertEquals(0.75, ambiguity.trainingCaptionCeiling(), 1e-12);
    assertEquals(0.5, ambiguity.trainingCaptionAmbiguousShare(), 1e-12);
    // phrases: happy (a ½ = b ½, a tie: half a hit each), cat (a), dog (b) — all in training
    assertEquals(1, ambiguity.heldOutPhraseInTrainingShare(), 1e-12);
    assertEquals(0.5, ambiguity.heldOutPhraseAmbiguousShare(), 1e-12);
    assertEquals(0.75, ambiguity.heldOutPhraseLookupAccuracy(), 1e-12);
    assertEquals(0, ambiguity.heldOutNameNotInTrainingShare(), 1e-12, "keywords are never counted as names");

    // names by origin: "cat" is a1's caption, "dog" only b1's and b2's, which do not train when only a1 does
    PromptAmbiguity names = PromptAmbiguity.of(List.of(new EvalPrompt(CAT, "a", Kind.HELD_OUT_TEMPLATE),
        new EvalPrompt(DOG, "b", Kind.HELD_OUT_TEMPLATE)), PROCESS, IMAGES, CAPTIONS, Set.of("a1"));
    assertEquals(0.5, names.heldOutNameNotInTrainingShare(), 1e-12);
    assertEquals(0.5, names.heldOutPhraseInTrainingShare(), 1e-12);

    // with b2 a training image too, "happy" leans to b (½ + ½ vs ½): its lookup now picks b
    PromptAmbiguity allImages = PromptAmbiguity.of(scored, PROCESS, IMAGES, CAPTIONS, null);
    assertEquals(0.75, allImages.heldOutPhraseLookupAccuracy(), 1e-12);
    // mass 3: happy a ½ / b 1, cat a ½, dog b 1 → ceiling (1 + ½ + 1) / 3
    assertEquals(2.5 / 3, allImages.trainingCaptionCeiling(), 1e-12);
  }

  @Test
  void noTextOnlyReaderBeatsTheCeilingAndTheArgmaxReaderReachesIt() {
    double ceiling = PromptAmbiguity.of(PROCESS, PROCESS, IMAGES, CAPTIONS, null).ambiguityCeiling();
    List<String> texts = List.of(HAPPY, CAT, DOG);
    double best = 0;
    for (int reader = 0; reader < 8; reader++) { // every map of the three texts to {a, b}
      int bits = reader;
      double accuracy = PromptAmbiguity.accuracyUnderProcess(PROCESS,
          text -> (bits >> texts.indexOf(text) & 1) == 0 ? "a" : "b");
      assertTrue(accuracy <= ceiling + 1e-12, "reader " + reader + " scores " + accuracy + " > ceiling " + ceiling);
      best = Math.max(best, accuracy);
    }
    assertEquals(ceiling, best, 1e-12, "the argmax reader (happy → a, cat → a, dog → b) attains it");
    // scored on the whole process, the argmax reader's accuracy is the ceiling itself
    PromptAmbiguity onProcess = PromptAmbiguity.of(PROCESS, PROCESS, IMAGES, CAPTIONS, null);
    assertEquals(ceiling, onProcess.argmaxReaderAccuracy(), 1e-12);
    assertTrue(onProcess.proportionalReaderAccuracy() <= ceiling);
  }

  @Test
  void unambiguousPromptsHaveCeilingOneAndAPromptOutsideTheProcessIsAnError() {
    List<EvalPrompt> unique = List.of(prompt(CAT, "a"), prompt(DOG, "b"));
    PromptAmbiguity ambiguity = PromptAmbiguity.of(unique, unique, IMAGES, CAPTIONS, null);
    assertEquals(1, ambiguity.ambiguityCeiling(), 1e-12);
    assertEquals(0, ambiguity.ambiguousPromptShare(), 1e-12);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PromptAmbiguity.of(List.of(prompt(CAT, "b")), unique, IMAGES, CAPTIONS, null));
    assertEquals("scored prompt 'a drawing of cat' of class b is not one the eval-prompt process produces",
        e.getMessage());
  }

  @Test
  void phraseIsThePromptWithoutItsEvalTemplate() {
    assertEquals("happy", PromptAmbiguity.phraseOf(HAPPY));
    assertEquals("dog", PromptAmbiguity.phraseOf(DOG));
    assertEquals("happy", PromptAmbiguity.phraseOf("happy"));
  }

  private static EvalPrompt prompt(String text, String className) {
    return new EvalPrompt(text, className, Kind.HELD_OUT_KEYWORD);
  }
}
