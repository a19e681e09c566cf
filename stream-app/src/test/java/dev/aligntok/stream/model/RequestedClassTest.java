package dev.aligntok.stream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.label.LabelVocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestedClassTest {
  private static final LabelVocabulary LABELS = LabelVocabulary.of(List.of("cat", "dog", "owl"));

  @Test
  void anIdWinsOverThePromptAndAPromptResolvesByName() throws RequestedClass.Unresolved {
    assertEquals(new RequestedClass(1, "dog"), RequestedClass.resolve(1, "owl", LABELS));
    assertEquals(new RequestedClass(2, "owl"), RequestedClass.resolve(null, "owl", LABELS));
  }

  @Test
  void eachFailureNamesItsField() {
    RequestedClass.Unresolved range = assertThrows(RequestedClass.Unresolved.class,
        () -> RequestedClass.resolve(3, null, LABELS));
    assertEquals("classId", range.field());
    assertEquals("classId 3 is not in [0, 2]", range.getMessage());

    RequestedClass.Unresolved unknown = assertThrows(RequestedClass.Unresolved.class,
        () -> RequestedClass.resolve(null, "caat", LABELS));
    assertEquals("prompt", unknown.field());
    assertTrue(unknown.getMessage().contains("closest: cat"), unknown.getMessage());

    RequestedClass.Unresolved neither = assertThrows(RequestedClass.Unresolved.class,
        () -> RequestedClass.checkNamed(null, "  "));
    assertEquals("either prompt or classId is required", neither.getMessage());
  }

  @Test
  void aPromptNamesNoClassOnlyOnAFreeTextBundleAndOnlyWithoutAClassId() {
    assertTrue(RequestedClass.namesNoClass(null, "a cat in a hat", true));
    assertTrue(RequestedClass.namesNoClass(null, "", true), "the empty prompt is the unconditional one");
    assertFalse(RequestedClass.namesNoClass(1, "a cat in a hat", true), "a classId takes precedence");
    assertFalse(RequestedClass.namesNoClass(null, null, true), "nothing given");
    assertFalse(RequestedClass.namesNoClass(null, "a cat in a hat", false), "a class bundle");
  }

  @Test
  void aClassResolvedAgainstOneVocabularyIsCheckedAgainstAnother() throws RequestedClass.Unresolved {
    RequestedClass owl = RequestedClass.resolve(null, "owl", LABELS);
    assertTrue(owl.in(LABELS));
    assertFalse(owl.in(LabelVocabulary.of(List.of("cat", "dog", "emu"))), "same id, another class");
    assertFalse(owl.in(LabelVocabulary.of(List.of("owl"))), "id out of range");
  }
}
