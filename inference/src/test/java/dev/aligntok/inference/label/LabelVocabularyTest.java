package dev.aligntok.inference.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelVocabularyTest {
  @Test
  void namesAndSynonymsResolveIgnoringCaseAndSeparators() {
    LabelVocabulary labels = LabelVocabulary.of(List.of("T-shirt/top", "Trouser"),
        Map.of("T-shirt/top", List.of("t-shirt", "tee"), "Trouser", List.of("trousers", "pants")));
    assertEquals(0, labels.id("t-shirt/top"));
    assertEquals(0, labels.id("T_SHIRT"));
    assertEquals(0, labels.id("  tee "));
    assertEquals(1, labels.id("Pants"));
    assertEquals("Trouser", labels.name(1));
    assertEquals(List.of("trousers", "pants"), labels.synonyms(1));
    assertEquals(OptionalInt.empty(), labels.lookup("sneaker"));
  }

  @Test
  void aSynonymOfTwoLabelsResolvesToNothingAndIsListed() {
    LabelVocabulary.Builder builder = LabelVocabulary.builder();
    builder.add("face-smiling");
    builder.add("face-hand");
    builder.addSynonym("face-smiling", "smile").addSynonym("face-hand", "smile").addSynonym("face-hand", "face_smiling");
    LabelVocabulary labels = builder.build();
    assertEquals(OptionalInt.empty(), labels.lookup("smile"));
    assertEquals(Set.of("smile"), labels.ambiguousSynonyms());
    assertEquals(0, labels.id("face smiling")); // a label's own name wins over another's synonym
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> labels.id("smile"));
    assertTrue(error.getMessage().contains("ambiguous"), error.getMessage());
  }

  @Test
  void idsFollowInsertionOrderAndErrorsNameTheProblem() {
    LabelVocabulary.Builder builder = LabelVocabulary.builder();
    assertEquals(0, builder.add("b"));
    assertEquals(1, builder.add("a"));
    assertEquals(0, builder.add("b"));
    assertThrows(IllegalArgumentException.class, () -> builder.add("B"));
    assertThrows(IllegalArgumentException.class, () -> builder.add(" "));
    assertThrows(IllegalArgumentException.class, () -> builder.addSynonym("c", "x"));
    LabelVocabulary labels = builder.build();
    assertEquals(List.of("b", "a"), labels.names());
    assertThrows(IllegalArgumentException.class, () -> labels.name(2));
    assertThrows(IllegalStateException.class, () -> LabelVocabulary.builder().build());
  }

  @Test
  void closestRanksByEditDistanceThenId() {
    LabelVocabulary labels = LabelVocabulary.of(List.of("cat", "car", "dog", "bird", "cart", "horse"));
    // catt: cat 1, cart 1, car 2, dog 4, bird 4, horse 5.
    assertEquals(List.of("cat", "cart", "car"), labels.closest("catt", 3));
    assertEquals(List.of("cat", "cart", "car", "dog", "bird", "horse"), labels.closest("catt", 100));
    assertEquals(List.of(), labels.closest("catt", 0));
    assertEquals(List.of("ab", "ba"), LabelVocabulary.of(List.of("ab", "ba")).closest("aa", 2));
    assertEquals(List.of("ba", "ab"), LabelVocabulary.of(List.of("ba", "ab")).closest("aa", 2));
  }

  @Test
  void closestUsesSynonymsAndNormalisedText() {
    LabelVocabulary labels = LabelVocabulary.of(List.of("T-shirt/top", "Trouser", "Sneaker"),
        Map.of("T-shirt/top", List.of("t-shirt", "tee"), "Trouser", List.of("trousers", "pants")));
    assertEquals(List.of("Trouser"), labels.closest("pantz", 1)); // 1 from the synonym "pants", far more from the name
    assertEquals(List.of("T-shirt/top"), labels.closest("  T_SHIRTT ", 1)); // 1 from "t shirt"
    assertEquals(List.of("Sneaker"), labels.closest("SNEAKERS", 1));
  }

  @Test
  void unknownPromptsListTheFiveClosestLabels() {
    LabelVocabulary labels = LabelVocabulary.of(List.of("cat", "car", "dog", "bird", "cart", "horse"));
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> labels.id("catt"));
    assertEquals("unknown class prompt 'catt'; closest: cat, cart, car, dog, bird", error.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> labels.id(null));
    assertTrue(none.getMessage().contains("must not be null"), none.getMessage());
  }

  @Test
  void closestRejectsBadArgumentsByName() {
    LabelVocabulary labels = LabelVocabulary.of(List.of("cat"));
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> labels.closest("cat", -1));
    assertEquals("k must be >= 0, got -1", negative.getMessage());
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> labels.closest(null, 1));
    assertEquals("text must not be null", none.getMessage());
  }

  @Test
  void levenshteinCountsSingleCharacterEdits() {
    assertEquals(3, distance("kitten", "sitting"));
    assertEquals(2, distance("flaw", "lawn"));
    assertEquals(3, distance("", "abc"));
    assertEquals(3, distance("abc", ""));
    assertEquals(0, distance("same", "same"));
    assertEquals(1, distance("a\uD83D\uDE00b", "ab")); // one code point, not two chars
  }

  @Test
  void theBandedDistanceEqualsTheFullOneUpToItsLimit() {
    Random random = new Random(17);
    for (int trial = 0; trial < 5_000; trial++) {
      int[] a = randomText(random, random.nextInt(12));
      int[] b = randomText(random, random.nextInt(12));
      int full = LabelVocabulary.levenshtein(a, b);
      int limit = random.nextInt(14);
      assertEquals(Math.min(full, limit + 1), LabelVocabulary.levenshtein(a, b, limit),
          "a=" + java.util.Arrays.toString(a) + " b=" + java.util.Arrays.toString(b) + " limit=" + limit);
    }
  }

  @Test
  void anOverlongPromptIsNeitherMatchedNorQuoted() {
    LabelVocabulary labels = LabelVocabulary.of(List.of("cat", "car", "dog"));
    String huge = "catt".repeat(250_000); // a 1,000,000-character prompt
    assertEquals(List.of(), labels.closest(huge, 5), "no suggestion is computed for an over-long text");
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> labels.id(huge));
    assertEquals("unknown class prompt of 1,000,000 characters (no label is that long; closest labels are suggested"
        + " for prompts of up to 64 characters)", error.getMessage());

    String longest = "x".repeat(LabelVocabulary.MAX_SUGGESTION_LENGTH);
    assertEquals(3, labels.closest(longest, 5).size());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> labels.id(longest)).getMessage().contains("closest:"));
    assertEquals(List.of(), labels.closest(longest + "x", 5));
    assertFalse(assertThrows(IllegalArgumentException.class, () -> labels.id(longest + "x")).getMessage().contains("xx"));
  }

  private static int[] randomText(Random random, int length) {
    int[] text = new int[length];
    for (int i = 0; i < length; i++) {
      text[i] = 'a' + random.nextInt(3); // a small alphabet, so strings share much and distances vary
    }
    return text;
  }

  private static int distance(String a, String b) {
    return LabelVocabulary.levenshtein(a.codePoints().toArray(), b.codePoints().toArray());
  }
}
