package dev.aligntok.stream.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.model.BundleView;
import dev.aligntok.stream.model.RequestedClass;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pipeline's validation split by bundle kind. The bundle here is only what validation reads (a
 * {@link BundleView}: classes, kind, defaults); nothing is generated, so a view stands in for a text
 * bundle until one exists.
 */
class GenerationValidatorTest {
  private static final LabelVocabulary LABELS = LabelVocabulary.of(List.of("cat", "dog", "owl"));
  private static final BundleView CLASS_BUNDLE = new View(false);
  private static final BundleView TEXT_BUNDLE = new View(true);

  private final GenerationValidator validator = new GenerationValidator(GenerationLimits.DEFAULT, null);

  private record View(boolean acceptsFreeText) implements BundleView {
    @Override
    public String bundleId() {
      return acceptsFreeText ? "text-view" : "class-view";
    }

    @Override
    public LabelVocabulary labels() {
      return LABELS;
    }

    @Override
    public SamplerSettings defaultSettings() {
      return TestBundles.SAMPLER;
    }
  }

  private static GenerationRequest.Builder request(String id, String prompt) {
    return GenerationRequest.newBuilder().setId(id).setPrompt(prompt).setSeed(7L);
  }

  @Test
  void onATextBundleAPromptIsKeptAsTheConditionWithClassIdMinusOne() {
    ValidatedGeneration valid = validator.validate(request("t1", "a smiling cat wearing sunglasses").build(), TEXT_BUNDLE);
    assertTrue(valid.freeText());
    assertEquals("a smiling cat wearing sunglasses", valid.prompt());
    assertEquals(RequestedClass.FREE_TEXT, valid.classId());
    assertNull(valid.className());
    assertEquals(7L, valid.seed());
    assertThrows(IllegalStateException.class, valid::requestedClass, "free text names no class");

    ValidatedGeneration empty = validator.validate(request("t2", "").build(), TEXT_BUNDLE);
    assertEquals("", empty.prompt(), "the empty prompt is the unconditional one");
  }

  @Test
  void onATextBundleAClassIdStillResolvesAgainstTheVocabulary() {
    ValidatedGeneration byId = validator.validate(request("t3", "ignored text").setClassId(2).build(), TEXT_BUNDLE);
    assertFalse(byId.freeText());
    assertEquals(new RequestedClass(2, "owl"), byId.requestedClass());
    assertNull(byId.prompt());

    InvalidInputException outOfRange = assertThrows(InvalidInputException.class,
        () -> validator.validate(request("t4", "a cat").setClassId(3).build(), TEXT_BUNDLE));
    assertEquals("invalid generation request t4: classId 3 is not in [0, 2]", outOfRange.getMessage());

    InvalidInputException tooLong = assertThrows(InvalidInputException.class,
        () -> validator.validate(request("t5", "x".repeat(1_001)).build(), TEXT_BUNDLE));
    assertEquals("invalid generation request t5: prompt of 1,001 characters exceeds the limit of 1,000",
        tooLong.getMessage());
  }

  @Test
  void onAClassBundleTheSameRequestsBehaveAsBefore() {
    ValidatedGeneration owl = validator.validate(request("c1", "owl").build(), CLASS_BUNDLE);
    assertFalse(owl.freeText());
    assertEquals(new RequestedClass(2, "owl"), owl.requestedClass());

    InvalidInputException unknown = assertThrows(InvalidInputException.class,
        () -> validator.validate(request("c2", "a smiling cat wearing sunglasses").build(), CLASS_BUNDLE));
    assertTrue(unknown.getMessage().startsWith("invalid generation request c2: unknown class prompt"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("closest:"), unknown.getMessage());

    InvalidInputException empty = assertThrows(InvalidInputException.class,
        () -> validator.validate(request("c3", "").build(), CLASS_BUNDLE));
    assertEquals("invalid generation request c3: either prompt or classId is required", empty.getMessage());
  }
}
