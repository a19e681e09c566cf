package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.captions.EvalPrompt;
import dev.aligntok.trainer.captions.ImageCaptions;
import dev.aligntok.trainer.captions.PromptAmbiguity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What a text DiT is evaluated with: each class's own caption (the samples of the Fréchet distance
 * and class consistency ask for a class this way, as {@code classId} requests do on a text bundle),
 * held-out prompts with the class behind each (prompt consistency), and the empty prompt's embedding
 * (the guidance null). Arrays are held as given: treat them as read-only.
 *
 * @param classCaptions embedding of class c's caption at index c
 * @param nullCondition embedding of ""
 * @param prompts the held-out prompts
 * @param promptClasses the class id behind each prompt
 * @param promptVectors embedding of each prompt
 * @param captionCentroids mean unit embedding of class c's training captions at index c, or null when
 *     not computed (it only feeds {@link #nearestCentroidAccuracy})
 * @param classProbes what text → class probes trained on the training captions score on these
 *     prompts ({@link TextClassProbes}), or null when not run
 * @param ambiguity how far the prompts' texts alone determine their class, counted without an
 *     encoder ({@link PromptAmbiguity}), or null when not counted
 * @param promptKinds what is new about each prompt, as the prompt generator made it ({@link EvalPrompt.Kind}),
 *     or null when not known (it only feeds {@link #byPromptKind})
 */
public record TextPrompts(float[][] classCaptions, float[] nullCondition, List<String> prompts, int[] promptClasses,
    float[][] promptVectors, float[][] captionCentroids, TextClassProbes.Result classProbes,
    PromptAmbiguity ambiguity, List<EvalPrompt.Kind> promptKinds) {

  public TextPrompts {
    promptKinds = promptKinds == null ? null : List.copyOf(promptKinds);
    if (promptKinds != null && promptKinds.size() != prompts.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts need as many kinds, got " + promptKinds.size());
    }
    prompts = List.copyOf(prompts);
    if (promptClasses.length != prompts.size() || promptVectors.length != prompts.size()) {
      throw new IllegalArgumentException(prompts.size() + " prompts need as many classes and vectors, got "
          + promptClasses.length + " and " + promptVectors.length);
    }
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("prompt consistency needs at least one held-out prompt");
    }
    for (int c : promptClasses) {
      if (c < 0 || c >= classCaptions.length) {
        throw new IllegalArgumentException("prompt class " + c + " is outside the " + classCaptions.length + " classes");
      }
    }
    if (captionCentroids != null && captionCentroids.length != classCaptions.length) {
      throw new IllegalArgumentException(classCaptions.length + " classes need as many caption centroids, got "
          + captionCentroids.length);
    }
  }

  /**
   * Each class's mean unit embedding over the distinct training captions of its images.
   *
   * @param images each image's class and caption indices ({@code CaptionSet.images()})
   * @param classNames class names in class-id order; images of other classes are skipped
   * @param captionVectors embedding of the caption at each index ({@code CaptionSet.trainingCaptions()})
   */
  public static float[][] captionCentroids(List<ImageCaptions> images, List<String> classNames,
      float[][] captionVectors) {
    int dimension = captionVectors.length == 0 ? 0 : captionVectors[0].length;
    float[][] centroids = new float[classNames.size()][dimension];
    List<Set<Integer>> seen = new ArrayList<>();
    classNames.forEach(name -> seen.add(new HashSet<>()));
    for (ImageCaptions image : images) {
      int c = classNames.indexOf(image.className());
      if (c < 0) {
        continue;
      }
      for (int caption : image.captions()) {
        if (seen.get(c).add(caption)) {
          float[] v = captionVectors[caption];
          double norm = Math.sqrt(dot(v, v));
          for (int k = 0; k < dimension && norm > 0; k++) {
            centroids[c][k] += (float) (v[k] / norm);
          }
        }
      }
    }
    return centroids; // unnormalised: only cosines are taken of it
  }

  private static double dot(float[] a, float[] b) {
    double dot = 0;
    for (int k = 0; k < a.length; k++) {
      dot += (double) a[k] * b[k];
    }
    return dot;
  }

  /** These prompts with the classes' training-caption centroids (see {@link #nearestCentroidAccuracy}). */
  public TextPrompts withCaptionCentroids(float[][] centroids) {
    return new TextPrompts(classCaptions, nullCondition, prompts, promptClasses, promptVectors, centroids, classProbes,
        ambiguity, promptKinds);
  }

  /** These prompts with the text probes' scores on them (see {@link TextClassProbes}). */
  public TextPrompts withClassProbes(TextClassProbes.Result probes) {
    return new TextPrompts(classCaptions, nullCondition, prompts, promptClasses, promptVectors, captionCentroids, probes,
        ambiguity, promptKinds);
  }

  /** These prompts with their texts' ambiguity (see {@link PromptAmbiguity}). */
  public TextPrompts withAmbiguity(PromptAmbiguity counted) {
    return new TextPrompts(classCaptions, nullCondition, prompts, promptClasses, promptVectors, captionCentroids,
        classProbes, counted, promptKinds);
  }

  /** These prompts with the kind of each, in prompt order (see {@link #byPromptKind}). */
  public TextPrompts withPromptKinds(List<EvalPrompt.Kind> kinds) {
    return new TextPrompts(classCaptions, nullCondition, prompts, promptClasses, promptVectors, captionCentroids,
        classProbes, ambiguity, kinds);
  }

  /**
   * Every reading's accuracy on each kind of prompt ({@link PromptKindSplit}): nearest class caption,
   * nearest caption centroid and the probes when they were computed; null when the kinds are unknown.
   * Reuses the readings' per-prompt marks: no embedding is recomputed.
   */
  public Map<String, Object> byPromptKind() {
    if (promptKinds == null) {
      return null;
    }
    Map<String, String> marks = new LinkedHashMap<>();
    marks.put("nearestClassCaption", nearestMarks(classCaptions));
    if (captionCentroids != null) {
      marks.put("nearestCaptionCentroid", nearestMarks(captionCentroids));
    }
    if (classProbes != null) {
      if (classProbes.linearHeldOutCorrect() != null) {
        marks.put("textProbe", classProbes.linearHeldOutCorrect());
      }
      if (classProbes.mlpHeldOutCorrect() != null) {
        marks.put("textMlp", classProbes.mlpHeldOutCorrect());
      }
    }
    return PromptKindSplit.report(promptKinds, marks);
  }

  /**
   * Embeds the class captions, the prompts and "" in one call of {@code embed}.
   *
   * @param classCaptions caption of class c at index c
   */
  public static TextPrompts embed(List<String> classCaptions, List<String> prompts, int[] promptClasses,
      Function<List<String>, float[][]> embed) {
    List<String> all = new ArrayList<>(classCaptions);
    all.addAll(prompts);
    all.add("");
    float[][] vectors = embed.apply(all);
    int k = classCaptions.size();
    float[][] promptVectors = new float[prompts.size()][];
    System.arraycopy(vectors, k, promptVectors, 0, prompts.size());
    float[][] classVectors = new float[k][];
    System.arraycopy(vectors, 0, classVectors, 0, k);
    return new TextPrompts(classVectors, vectors[vectors.length - 1], prompts, promptClasses, promptVectors, null, null,
        null, null);
  }

  /** The class-caption vector of each class id. */
  float[][] conditionsOf(int[] classes) {
    float[][] conditions = new float[classes.length][];
    for (int i = 0; i < classes.length; i++) {
      conditions[i] = classCaptions[classes[i]];
    }
    return conditions;
  }

  /** Share of prompts whose class is c, by class id. */
  double[] classFrequencies() {
    double[] frequencies = new double[classCaptions.length];
    for (int c : promptClasses) {
      frequencies[c] += 1.0 / promptClasses.length;
    }
    return frequencies;
  }

  /**
   * What a class-blind generator scores in expectation when its samples' classes follow the
   * prompts' class frequencies q: Σ q_c².
   */
  public double chanceLevel() {
    double sum = 0;
    for (double q : classFrequencies()) {
      sum += q * q;
    }
    return sum;
  }

  /** What a class-blind generator that always draws the prompts' most frequent class scores: max q_c. */
  public double mostFrequentClassShare() {
    double max = 0;
    for (double q : classFrequencies()) {
      max = Math.max(max, q);
    }
    return max;
  }

  /**
   * How often the frozen text embedding alone points a held-out prompt to its class: the share of
   * prompts whose nearest (cosine) class caption is their class's. A text DiT conditioned on these
   * embeddings can hardly do better at telling the classes apart, so this bounds what prompt
   * consistency can borrow from class consistency.
   */
  public double nearestClassCaptionAccuracy() {
    return nearestAccuracy(classCaptions);
  }

  /**
   * As {@link #nearestClassCaptionAccuracy} against each class's training-caption centroid (all its
   * phrasings, not one): NaN when the centroids were not computed.
   */
  public double nearestCentroidAccuracy() {
    return captionCentroids == null ? Double.NaN : nearestAccuracy(captionCentroids);
  }

  private double nearestAccuracy(float[][] classVectors) {
    return PromptKindSplit.accuracy(nearestMarks(classVectors));
  }

  /** One character per prompt: '1' when its nearest class vector is its class's, else '0'. */
  private String nearestMarks(float[][] classVectors) {
    StringBuilder marks = new StringBuilder(promptVectors.length);
    for (int i = 0; i < promptVectors.length; i++) {
      int best = -1;
      double bestCosine = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < classVectors.length; c++) {
        double cosine = cosine(promptVectors[i], classVectors[c]);
        if (cosine > bestCosine) {
          bestCosine = cosine;
          best = c;
        }
      }
      marks.append(best == promptClasses[i] ? '1' : '0');
    }
    return marks.toString();
  }

  private static double cosine(float[] a, float[] b) {
    double aa = dot(a, a);
    double bb = dot(b, b);
    return aa == 0 || bb == 0 ? 0 : dot(a, b) / Math.sqrt(aa * bb);
  }
}
