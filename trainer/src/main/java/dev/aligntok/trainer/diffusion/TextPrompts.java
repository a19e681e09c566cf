package dev.aligntok.trainer.diffusion;

import java.util.ArrayList;
import java.util.List;
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
 */
public record TextPrompts(float[][] classCaptions, float[] nullCondition, List<String> prompts, int[] promptClasses,
    float[][] promptVectors) {

  public TextPrompts {
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
    return new TextPrompts(classVectors, vectors[vectors.length - 1], prompts, promptClasses, promptVectors);
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
}
