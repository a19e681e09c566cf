package dev.aligntok.inference.label;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
}
