package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.captions.EvalPrompt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out prompt accuracies split by what is new about each prompt, as the prompt generator made it
 * ({@link EvalPrompt.Kind}): an emoji name seen in training put in an eval-only template
 * ({@code name}), or a held-out keyword no training caption contains ({@code keyword}). The two ask
 * different things of a text reader — a new template around a known phrase versus a new word — so
 * their accuracies say which one the misses come from. Works on per-prompt right/wrong marks the
 * readings already produced.
 */
public final class PromptKindSplit {
  private PromptKindSplit() {}

  /** The report's name of a kind. */
  public static String label(EvalPrompt.Kind kind) {
    return switch (kind) {
      case HELD_OUT_TEMPLATE -> "name";
      case HELD_OUT_KEYWORD -> "keyword";
    };
  }

  /** Share of '1' among the marks ('1' right, '0' wrong, one per prompt); NaN when there are none. */
  public static double accuracy(String marks) {
    if (marks.isEmpty()) {
      return Double.NaN;
    }
    return (double) marks.chars().filter(c -> c == '1').count() / marks.length();
  }

  /**
   * For each kind (every {@link EvalPrompt.Kind}, in the order {@code name}, {@code keyword}): its
   * prompt count and share and, when it has prompts, each reader's accuracy on them with its
   * binomial standard error √(p(1−p)/n) ({@code <reader>Accuracy}, {@code <reader>StandardError}).
   *
   * @param kinds the kind of each prompt, in prompt order
   * @param marksByReader reader name → one '1'/'0' mark per prompt, in the same order
   */
  public static Map<String, Object> report(List<EvalPrompt.Kind> kinds, Map<String, String> marksByReader) {
    marksByReader.forEach((reader, marks) -> {
      if (marks.length() != kinds.size()) {
        throw new IllegalArgumentException("reader " + reader + " marked " + marks.length() + " prompts, but "
            + kinds.size() + " prompts have a kind");
      }
    });
    Map<String, Object> report = new LinkedHashMap<>();
    for (EvalPrompt.Kind kind : List.of(EvalPrompt.Kind.HELD_OUT_TEMPLATE, EvalPrompt.Kind.HELD_OUT_KEYWORD)) {
      Map<String, Object> fields = new LinkedHashMap<>();
      int n = (int) kinds.stream().filter(kind::equals).count();
      fields.put("prompts", n);
      fields.put("share", kinds.isEmpty() ? 0.0 : (double) n / kinds.size());
      if (n > 0) {
        marksByReader.forEach((reader, marks) -> {
          double p = accuracy(only(marks, kinds, kind));
          fields.put(reader + "Accuracy", p);
          fields.put(reader + "StandardError", Math.sqrt(p * (1 - p) / n));
        });
      }
      report.put(label(kind), fields);
    }
    return report;
  }

  /** What the report's {@code byPromptKind} field means. */
  public static String meaning() {
    return "the held-out prompts split by how the prompt generator made them: name = an emoji name seen in training "
        + "in an eval-only template; keyword = a held-out keyword no training caption contains, in an eval template. "
        + "Per kind: prompt count and share, and each reading's accuracy (nearest class caption, nearest caption "
        + "centroid, linear and MLP text probe) on that kind with its binomial standard error";
  }

  private static String only(String marks, List<EvalPrompt.Kind> kinds, EvalPrompt.Kind kind) {
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < marks.length(); i++) {
      if (kinds.get(i) == kind) {
        kept.append(marks.charAt(i));
      }
    }
    return kept.toString();
  }
}
