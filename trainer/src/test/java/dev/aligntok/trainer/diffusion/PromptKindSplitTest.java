package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aligntok.trainer.captions.EvalPrompt.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Held-out prompt accuracies split by prompt kind: counts and every reading's accuracy, worked by hand. */
class PromptKindSplitTest {
  // class captions along x and y; prompts 0, 1 are names, 2, 3, 4 keywords
  private static final float[][] CLASS_CAPTIONS = {{1, 0}, {0, 1}};
  private static final float[][] PROMPT_VECTORS = {{1, 0.1f}, {0.1f, 1}, {0.2f, 1}, {1, 0.3f}, {-0.1f, 2}};
  private static final int[] CLASSES = {0, 1, 0, 1, 1};
  private static final List<Kind> KINDS = List.of(Kind.HELD_OUT_TEMPLATE, Kind.HELD_OUT_TEMPLATE,
      Kind.HELD_OUT_KEYWORD, Kind.HELD_OUT_KEYWORD, Kind.HELD_OUT_KEYWORD);

  @Test
  void splitsEveryReadingsAccuracyByTheKindOfEachPrompt() {
    // nearest caption: right, right | wrong (y for class 0), wrong (x for class 1), right
    // centroids (1, 1) and (-1, 1): prompt 1 (0.1, 1) is nearer class 0's (cos 0.77 vs 0.63), so
    // right, wrong | right, wrong, right (prompt 4: 1.9 vs 2.1 before norms)
    float[][] centroids = {{1, 1}, {-1, 1}};
    TextClassProbes.Result probes = new TextClassProbes.Result(TextClassProbes.Weighting.DIT_DRAWS, 10, 5, 0.4, 0.9,
        1e-3, 0.8, 0.95, 7, "11000", "01111");
    TextPrompts prompts = new TextPrompts(CLASS_CAPTIONS, new float[2], List.of("a", "b", "c", "d", "e"), CLASSES,
        PROMPT_VECTORS, centroids, probes, null, KINDS);
    assertEquals(0.6, prompts.nearestClassCaptionAccuracy(), 1e-12, "the overall readings are unchanged");
    assertEquals(0.6, prompts.nearestCentroidAccuracy(), 1e-12);

    Map<String, Object> byKind = prompts.byPromptKind();
    assertEquals(List.of("name", "keyword"), List.copyOf(byKind.keySet()));
    Map<?, ?> name = (Map<?, ?>) byKind.get("name");
    Map<?, ?> keyword = (Map<?, ?>) byKind.get("keyword");
    assertEquals(2, name.get("prompts"));
    assertEquals(3, keyword.get("prompts"));
    assertEquals(0.4, (Double) name.get("share"), 1e-12);
    assertEquals(0.6, (Double) keyword.get("share"), 1e-12);
    assertAccuracy(1.0, name, "nearestClassCaption");
    assertAccuracy(1.0 / 3, keyword, "nearestClassCaption");
    assertAccuracy(0.5, name, "nearestCaptionCentroid");
    assertAccuracy(2.0 / 3, keyword, "nearestCaptionCentroid");
    assertAccuracy(1.0, name, "textProbe");
    assertAccuracy(0.0, keyword, "textProbe");
    assertAccuracy(0.5, name, "textMlp");
    assertAccuracy(1.0, keyword, "textMlp");
    assertEquals(Math.sqrt(0.25 / 2), (Double) name.get("textMlpStandardError"), 1e-12);
    assertEquals(Math.sqrt(2.0 / 9 / 3), (Double) keyword.get("nearestClassCaptionStandardError"), 1e-12);
    assertEquals(0.0, (Double) name.get("nearestClassCaptionStandardError"), 1e-12);
  }

  @Test
  void reportsOnlyTheReadingsThatWereComputedAndNothingWithoutKinds() {
    TextPrompts plain = new TextPrompts(CLASS_CAPTIONS, new float[2], List.of("a", "b", "c", "d", "e"), CLASSES,
        PROMPT_VECTORS, null, null, null, null);
    assertNull(plain.byPromptKind());

    List<Kind> allKeywords = List.of(Kind.HELD_OUT_KEYWORD, Kind.HELD_OUT_KEYWORD, Kind.HELD_OUT_KEYWORD,
        Kind.HELD_OUT_KEYWORD, Kind.HELD_OUT_KEYWORD);
    Map<String, Object> byKind = plain.withPromptKinds(allKeywords).byPromptKind();
    assertEquals(Map.of("prompts", 0, "share", 0.0), byKind.get("name"), "an empty kind has no accuracies");
    Map<?, ?> keyword = (Map<?, ?>) byKind.get("keyword");
    assertAccuracy(0.6, keyword, "nearestClassCaption");
    assertEquals(List.of("prompts", "share", "nearestClassCaptionAccuracy", "nearestClassCaptionStandardError"),
        List.copyOf(keyword.keySet().stream().map(Object::toString).toList()));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plain.withPromptKinds(List.of(Kind.HELD_OUT_KEYWORD)));
    assertEquals("5 prompts need as many kinds, got 1", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PromptKindSplit.report(allKeywords, Map.of("textProbe", "101")));
    assertEquals("reader textProbe marked 3 prompts, but 5 prompts have a kind", e.getMessage());
  }

  private static void assertAccuracy(double expected, Map<?, ?> kind, String reader) {
    assertEquals(expected, (Double) kind.get(reader + "Accuracy"), 1e-12, reader);
  }
}
