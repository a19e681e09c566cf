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
  void aClassResolvedAgainstOneVocabularyIsCheckedAgainstAnother() throws RequestedClass.Unresolved {
    RequestedClass owl = RequestedClass.resolve(null, "owl", LABELS);
    assertTrue(owl.in(LABELS));
    assertFalse(owl.in(LabelVocabulary.of(List.of("cat", "dog", "emu"))), "same id, another class");
    assertFalse(owl.in(LabelVocabulary.of(List.of("owl"))), "id out of range");
  }
}
