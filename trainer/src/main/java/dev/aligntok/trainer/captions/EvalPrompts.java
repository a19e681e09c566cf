package dev.aligntok.trainer.captions;

import dev.aligntok.trainer.data.EmojiDataset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The held-out prompts: each held-out keyword, and each base emoji's name, in every
 * {@link CaptionTemplates#EVAL} template. A prompt that equals a training caption, or that two
 * classes would claim, is left out, so every prompt is new to the model and has one class.
 */
final class EvalPrompts {
  private EvalPrompts() {}

  static List<EvalPrompt> of(Map<String, String> heldOutKeywords, List<EmojiDataset.Entry> images,
      Set<String> trainingCaptions) {
    Map<String, EvalPrompt> byText = new TreeMap<>();
    Set<String> ambiguous = new HashSet<>();
    heldOutKeywords.forEach((keyword, className) ->
        add(byText, ambiguous, keyword, className, EvalPrompt.Kind.HELD_OUT_KEYWORD));
    for (EmojiDataset.Entry image : images) {
      List<String> names = EmojiCaptions.names(image);
      if (image.id().equals(image.groupId()) && !names.isEmpty()) {
        add(byText, ambiguous, names.get(0), image.subcategory(), EvalPrompt.Kind.HELD_OUT_TEMPLATE);
      }
    }
    List<EvalPrompt> prompts = new ArrayList<>();
    byText.forEach((text, prompt) -> {
      if (!ambiguous.contains(text) && !trainingCaptions.contains(text)) {
        prompts.add(prompt);
      }
    });
    prompts.sort(Comparator.comparing(EvalPrompt::kind).thenComparing(EvalPrompt::text));
    return prompts;
  }

  private static void add(Map<String, EvalPrompt> byText, Set<String> ambiguous, String phrase, String className,
      EvalPrompt.Kind kind) {
    for (String template : CaptionTemplates.EVAL) {
      String text = CaptionTemplates.apply(template, phrase);
      EvalPrompt previous = byText.putIfAbsent(text, new EvalPrompt(text, className, kind));
      if (previous != null && !previous.className().equals(className)) {
        ambiguous.add(text);
      }
    }
  }
}
