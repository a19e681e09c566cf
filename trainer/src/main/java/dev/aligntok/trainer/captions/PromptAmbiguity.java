package dev.aligntok.trainer.captions;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How far the text of a prompt alone determines its class, counted on the texts themselves (no
 * encoder): when one text is produced from several classes, no reader of the text — whatever its
 * encoder — can tell which class is behind it more often than the Bayes ceiling
 * Σ_t P(t) max_c P(c | t). Texts are compared after {@link #normalise} (lower case, collapsed
 * white space), as the uncased MiniLM tokenizer sees them.
 *
 * <p>Three distributions are counted:
 * <ul>
 *   <li><b>the held-out prompts' own process</b> ({@code ambiguity*}): the eval prompts are a seeded
 *       sample without replacement of the eval-prompt list, one class per entry, so n(c, t) is the
 *       number of list entries of text t and class c and P(t, c) ∝ n(c, t);
 *   <li><b>the training captions as the DiT draws them</b> ({@code trainingCaption*}): a uniform
 *       image of the training split, then one of its captions uniformly — the ceiling of any
 *       reader's weighted accuracy on the training captions (the text probes' fit accuracy);
 *   <li><b>the held-out prompt's phrase in training</b> ({@code heldOutPhrase*}): the prompt with its
 *       eval template removed, looked up in every training template, weighted as the DiT draws.
 * </ul>
 *
 * @param prompts the held-out prompts scored
 * @param ambiguityCeiling Σ_t P(t) max_c P(c|t) under the eval prompts' process
 * @param argmaxReaderAccuracy on the scored prompts, the reader that answers argmax_c n(c, t) (ties
 *     split evenly: expected accuracy under a uniform tie-break)
 * @param proportionalReaderAccuracy on the scored prompts, mean n(c_prompt, t) / Σ_c n(c, t): a reader
 *     that draws a class in proportion to the counts
 * @param ambiguousPromptShare share of the scored prompts whose text ≥ 2 classes produce
 * @param meanClassesPerPrompt mean over the scored prompts of the number of classes producing its text
 * @param promptsEqualToTrainingCaption share of the scored prompts whose text is a training caption
 * @param trainingCaptionCeiling Bayes ceiling on the training captions as the DiT draws them
 * @param trainingCaptionAmbiguousShare share of those draws whose caption ≥ 2 classes have
 * @param heldOutPhraseInTrainingShare share of the scored prompts whose phrase is in a training caption
 * @param heldOutPhraseAmbiguousShare share of the scored prompts whose phrase ≥ 2 classes' training
 *     captions have
 * @param heldOutPhraseLookupAccuracy among prompts whose phrase is in training, the share whose class
 *     is the argmax of the phrase's training classes (ties split evenly); NaN when there are none
 * @param heldOutNameNotInTrainingShare share of the scored prompts the generator made from an emoji
 *     name ({@link EvalPrompt.Kind#HELD_OUT_TEMPLATE}) whose phrase is nevertheless in no training
 *     caption (the name's images are not training images): names by origin, new words to the DiT
 */
public record PromptAmbiguity(int prompts, double ambiguityCeiling, double argmaxReaderAccuracy,
    double proportionalReaderAccuracy, double ambiguousPromptShare, double meanClassesPerPrompt,
    double promptsEqualToTrainingCaption, double trainingCaptionCeiling, double trainingCaptionAmbiguousShare,
    double heldOutPhraseInTrainingShare, double heldOutPhraseAmbiguousShare, double heldOutPhraseLookupAccuracy,
    double heldOutNameNotInTrainingShare) {

  /** A text as the uncased tokenizer sees it: lower case, white space collapsed and trimmed. */
  public static String normalise(String text) {
    return text.toLowerCase(Locale.ROOT).strip().replaceAll("\\s+", " ");
  }

  /** {@link #of(List, List, List, List, Set)} for a caption set and its eval prompts. */
  public static PromptAmbiguity of(CaptionSet captions, List<EvalPrompt> scored, Set<String> trainingImageIds) {
    return of(scored, captions.evalPrompts(), captions.images(), captions.trainingCaptions(), trainingImageIds);
  }

  /**
   * @param scored the held-out prompts drawn (each must be an entry of {@code process})
   * @param process every prompt the eval's prompt generation can draw ({@code CaptionSet.evalPrompts()})
   * @param images each image's class and caption indices
   * @param captionTexts the training captions those indices point to
   * @param trainingImageIds the DiT's training images (null: all)
   */
  public static PromptAmbiguity of(List<EvalPrompt> scored, List<EvalPrompt> process, List<ImageCaptions> images,
      List<String> captionTexts, Set<String> trainingImageIds) {
    if (scored.isEmpty()) {
      throw new IllegalArgumentException("prompt ambiguity needs at least one scored prompt");
    }
    Map<String, Map<String, Double>> processCounts = new HashMap<>();
    process.forEach(prompt -> add(processCounts, prompt.text(), prompt.className(), 1));
    Map<String, Map<String, Double>> trainingWeights = trainingWeights(images, captionTexts, trainingImageIds);

    double argmax = 0;
    double proportional = 0;
    double ambiguous = 0;
    double classes = 0;
    double equalToTraining = 0;
    double phraseSeen = 0;
    double phraseAmbiguous = 0;
    double phraseHits = 0;
    double nameNotSeen = 0;
    for (EvalPrompt prompt : scored) {
      Map<String, Double> counts = processCounts.get(normalise(prompt.text()));
      if (counts == null || !counts.containsKey(prompt.className())) {
        throw new IllegalArgumentException("scored prompt '" + cut(prompt.text()) + "' of class "
            + cut(prompt.className()) + " is not one the eval-prompt process produces");
      }
      argmax += argmaxHit(counts, prompt.className());
      proportional += counts.get(prompt.className()) / total(counts);
      ambiguous += counts.size() >= 2 ? 1 : 0;
      classes += counts.size();
      equalToTraining += trainingWeights.containsKey(normalise(prompt.text())) ? 1 : 0;
      Map<String, Double> phraseClasses = phraseInTraining(phraseOf(normalise(prompt.text())), trainingWeights);
      if (!phraseClasses.isEmpty()) {
        phraseSeen++;
        phraseAmbiguous += phraseClasses.size() >= 2 ? 1 : 0;
        phraseHits += argmaxHit(phraseClasses, prompt.className());
      } else if (prompt.kind() == EvalPrompt.Kind.HELD_OUT_TEMPLATE) {
        nameNotSeen++;
      }
    }
    double n = scored.size();
    double[] training = ceilingAndAmbiguousMass(trainingWeights);
    return new PromptAmbiguity(scored.size(), ceilingAndAmbiguousMass(processCounts)[0], argmax / n,
        proportional / n, ambiguous / n, classes / n, equalToTraining / n, training[0], training[1], phraseSeen / n,
        phraseAmbiguous / n, phraseSeen == 0 ? Double.NaN : phraseHits / phraseSeen, nameNotSeen / n);
  }

  /**
   * The accuracy of a text → class reader under the eval prompts' process distribution: never above
   * {@link #ambiguityCeiling} of the same process (the check of the ceiling's tests).
   */
  public static double accuracyUnderProcess(List<EvalPrompt> process, Function<String, String> reader) {
    Map<String, Map<String, Double>> counts = new HashMap<>();
    process.forEach(prompt -> add(counts, prompt.text(), prompt.className(), 1));
    double right = 0;
    double all = 0;
    for (Map.Entry<String, Map<String, Double>> text : counts.entrySet()) {
      right += text.getValue().getOrDefault(reader.apply(text.getKey()), 0.0);
      all += total(text.getValue());
    }
    return right / all;
  }

  /** The fields of {@code text-prompts.json} and of {@code generation.json}'s {@code promptConsistency}. */
  public Map<String, Object> report() {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("ambiguityCeiling", ambiguityCeiling);
    report.put("ambiguityArgmaxReaderAccuracy", argmaxReaderAccuracy);
    report.put("ambiguityProportionalReaderAccuracy", proportionalReaderAccuracy);
    report.put("ambiguousPromptShare", ambiguousPromptShare);
    report.put("meanClassesPerPrompt", meanClassesPerPrompt);
    report.put("promptsEqualToTrainingCaption", promptsEqualToTrainingCaption);
    report.put("trainingCaptionCeiling", trainingCaptionCeiling);
    report.put("trainingCaptionAmbiguousShare", trainingCaptionAmbiguousShare);
    report.put("heldOutPhraseInTrainingShare", heldOutPhraseInTrainingShare);
    report.put("heldOutPhraseAmbiguousShare", heldOutPhraseAmbiguousShare);
    report.put("heldOutPhraseLookupAccuracy", heldOutPhraseLookupAccuracy);
    report.put("heldOutNameNotInTrainingShare", heldOutNameNotInTrainingShare);
    report.put("ambiguityMeaning", "encoder-independent: how far a prompt's text (lower-cased, as the uncased "
        + "tokenizer sees it) determines its class. ambiguityCeiling = sum_t P(t) max_c P(c|t) with n(c,t) counted on "
        + "the eval-prompt list the held-out prompts are drawn from: no text-only reader beats it on prompts drawn "
        + "that way; argmax/proportional reader accuracies are on these prompts; ambiguousPromptShare and "
        + "meanClassesPerPrompt count the classes producing each prompt's text. trainingCaption*: the same ceiling "
        + "and the share of draws of an ambiguous caption on the training captions as the DiT draws them (bounds the "
        + "text probes' fit accuracy). heldOutPhrase*: the prompt without its eval template, looked up in the "
        + "training captions (any training template): how often it occurs there, under >= 2 classes, and how often "
        + "its most frequent training class is the prompt's; heldOutNameNotInTrainingShare: prompts made from an emoji "
        + "name (byPromptKind.name) whose phrase no training caption has");
    return report;
  }

  /** (caption, class) → weight as the DiT draws: image uniform, then one of its captions uniform. */
  private static Map<String, Map<String, Double>> trainingWeights(List<ImageCaptions> images, List<String> captionTexts,
      Set<String> trainingImageIds) {
    Map<String, Map<String, Double>> weights = new HashMap<>();
    for (ImageCaptions image : images) {
      if (trainingImageIds != null && !trainingImageIds.contains(image.imageId())) {
        continue;
      }
      for (int caption : image.captions()) {
        if (caption < 0 || caption >= captionTexts.size()) {
          throw new IllegalArgumentException("image " + cut(image.imageId()) + " has caption " + caption + " but only "
              + captionTexts.size() + " caption texts were given");
        }
        add(weights, captionTexts.get(caption), image.className(), 1.0 / image.captions().size());
      }
    }
    return weights;
  }

  /** The prompt without its {@link CaptionTemplates#EVAL} template (the text itself when none fits). */
  static String phraseOf(String prompt) {
    for (String template : CaptionTemplates.EVAL) {
      String[] parts = template.split(java.util.regex.Pattern.quote(CaptionTemplates.SLOT), -1);
      if (prompt.length() > parts[0].length() + parts[1].length() && prompt.startsWith(parts[0])
          && prompt.endsWith(parts[1])) {
        return prompt.substring(parts[0].length(), prompt.length() - parts[1].length());
      }
    }
    return prompt;
  }

  /** Class → DiT-draw weight of the training captions that put {@code phrase} in a training template. */
  private static Map<String, Double> phraseInTraining(String phrase, Map<String, Map<String, Double>> trainingWeights) {
    Map<String, Double> classes = new HashMap<>();
    for (String template : CaptionTemplates.ALL_TRAINING) {
      Map<String, Double> weights = trainingWeights.get(normalise(CaptionTemplates.apply(template, phrase)));
      if (weights != null) {
        weights.forEach((c, w) -> classes.merge(c, w, Double::sum));
      }
    }
    return classes;
  }

  private static void add(Map<String, Map<String, Double>> counts, String text, String className, double weight) {
    counts.computeIfAbsent(normalise(text), t -> new HashMap<>()).merge(className, weight, Double::sum);
  }

  /** {Σ_t max_c n(c,t) / Σ n, share of the mass on texts of ≥ 2 classes}. */
  private static double[] ceilingAndAmbiguousMass(Map<String, Map<String, Double>> counts) {
    double best = 0;
    double ambiguous = 0;
    double all = 0;
    for (Map<String, Double> byClass : counts.values()) {
      double total = total(byClass);
      best += byClass.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
      ambiguous += byClass.size() >= 2 ? total : 0;
      all += total;
    }
    return all == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {best / all, ambiguous / all};
  }

  /** 1/|argmax| when {@code className} is among the argmax classes, else 0. */
  private static double argmaxHit(Map<String, Double> counts, String className) {
    double max = counts.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double tolerance = 1e-12 * max; // DiT-draw weights are sums of 1/|captions|
    long ties = counts.values().stream().filter(v -> v >= max - tolerance).count();
    return counts.getOrDefault(className, -1.0) >= max - tolerance ? 1.0 / ties : 0;
  }

  private static double total(Map<String, Double> counts) {
    return counts.values().stream().mapToDouble(Double::doubleValue).sum();
  }

  private static String cut(String text) {
    return text.length() <= 64 ? text : text.substring(0, 64) + "…";
  }
}
