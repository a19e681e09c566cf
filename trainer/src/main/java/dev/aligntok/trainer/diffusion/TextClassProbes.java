package dev.aligntok.trainer.diffusion;

import dev.aligntok.trainer.captions.ImageCaptions;
import dev.aligntok.trainer.eval.LinearProbe;
import dev.aligntok.trainer.eval.MlpProbe;
import dev.aligntok.trainer.eval.ProbeConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How well the frozen text embedding alone tells the class of a held-out phrasing: a linear
 * ({@link LinearProbe}) and a one-hidden-layer ({@link MlpProbe}) text → class probe, trained on the
 * embeddings of the training images' captions, scored on the held-out prompts. A stronger reading
 * of the embedding than {@link TextPrompts#nearestCentroidAccuracy}; still an estimate of what a
 * text DiT can extract, not a bound (the DiT is another learner, trained on another loss).
 *
 * <p>Rows are weighted as the DiT draws its conditions ({@link Weighting#DIT_DRAWS}) or one per
 * distinct (caption, class) pair ({@link Weighting#DISTINCT_CAPTIONS}).
 */
public final class TextClassProbes {
  private TextClassProbes() {}

  /** How training captions are weighted. */
  public enum Weighting {
    /**
     * As a DiT training step sees them: every training image is drawn equally often and draws one of
     * its captions uniformly, so (caption t, class c) weighs Σ 1/|captions(i)| over the images i of
     * class c having t, and each class weighs its image count — the class prior the DiT learns.
     */
    DIT_DRAWS,
    /** Each distinct (caption, class) pair once: the class prior is its number of distinct captions. */
    DISTINCT_CAPTIONS
  }

  /** Training rows: embedding, class id and weight (mean 1) per distinct (caption, class) pair. */
  public record Rows(double[][] x, int[] y, double[] weights, Weighting weighting) {
    public Rows {
      if (x.length != y.length || x.length != weights.length) {
        throw new IllegalArgumentException(x.length + " rows need as many labels and weights, got " + y.length
            + " and " + weights.length);
      }
    }
  }

  /**
   * The training rows of {@code images} whose id is in {@code trainingImageIds} (null: every image)
   * and whose class is in {@code classNames}.
   *
   * @param captionVectors embedding of the caption at each index of {@code CaptionSet.trainingCaptions()}
   */
  public static Rows trainingRows(List<ImageCaptions> images, Set<String> trainingImageIds, List<String> classNames,
      float[][] captionVectors, Weighting weighting) {
    Map<Long, Double> weightByPair = new LinkedHashMap<>(); // key: class id × captions + caption index
    long captions = captionVectors.length;
    for (ImageCaptions image : images) {
      int c = classNames.indexOf(image.className());
      if (c < 0 || (trainingImageIds != null && !trainingImageIds.contains(image.imageId()))) {
        continue;
      }
      for (int caption : image.captions()) {
        if (caption < 0 || caption >= captions) {
          throw new IllegalArgumentException("image " + image.imageId() + " has caption " + caption + " but only "
              + captions + " caption vectors were given");
        }
        double share = weighting == Weighting.DIT_DRAWS ? 1.0 / image.captions().size() : 1.0;
        weightByPair.merge(c * captions + caption, share, weighting == Weighting.DIT_DRAWS ? Double::sum : (a, b) -> a);
      }
    }
    if (weightByPair.size() < 4) {
      throw new IllegalArgumentException("a text probe needs at least 4 training captions of known classes, got "
          + weightByPair.size());
    }
    double mean = weightByPair.values().stream().mapToDouble(Double::doubleValue).average().orElse(1);
    double[][] x = new double[weightByPair.size()][];
    int[] y = new int[x.length];
    double[] weights = new double[x.length];
    int row = 0;
    for (Map.Entry<Long, Double> pair : weightByPair.entrySet()) {
      y[row] = (int) (pair.getKey() / captions);
      x[row] = toDouble(captionVectors[(int) (pair.getKey() % captions)]);
      weights[row] = pair.getValue() / mean;
      row++;
    }
    return new Rows(x, y, weights, weighting);
  }

  /**
   * What the probes score.
   *
   * @param trainingRows distinct (caption, class) pairs trained on
   * @param heldOutPrompts prompts scored
   * @param linearHeldOutAccuracy share of held-out prompts the linear probe assigns to their class
   * @param linearFitAccuracy its weighted accuracy on the training rows (is it underfitting?)
   * @param linearL2 the L2 strength chosen on its selection fold
   * @param mlpHeldOutAccuracy as {@code linearHeldOutAccuracy} for the MLP probe; NaN when not run
   * @param mlpFitAccuracy the MLP's weighted accuracy on the training rows; NaN when not run
   * @param mlpEpochs epochs chosen on the MLP's selection fold; 0 when not run
   * @param linearHeldOutCorrect one character per held-out prompt, in prompt order: '1' when the linear
   *     probe answered its class, else '0' (as {@code ProbeResult.heldOutCorrect}); null when not run
   *     (then the linear accuracies are NaN)
   * @param mlpHeldOutCorrect the same for the MLP probe; null when not run
   */
  public record Result(Weighting weighting, int trainingRows, int heldOutPrompts, double linearHeldOutAccuracy,
      double linearFitAccuracy, double linearL2, double mlpHeldOutAccuracy, double mlpFitAccuracy, int mlpEpochs,
      String linearHeldOutCorrect, String mlpHeldOutCorrect) {

    /** The fields of {@code generation.json}'s {@code promptConsistency} (and of {@code eval text-prompts}). */
    public Map<String, Object> report() {
      Map<String, Object> report = new LinkedHashMap<>();
      if (linearHeldOutCorrect != null) {
        report.put("textProbeHeldOutAccuracy", linearHeldOutAccuracy);
        report.put("textProbeHeldOutStandardError", standardError(linearHeldOutAccuracy, heldOutPrompts));
        report.put("textProbeFitAccuracy", linearFitAccuracy);
        report.put("textProbeL2", linearL2);
      }
      if (mlpEpochs > 0) {
        report.put("textMlpHeldOutAccuracy", mlpHeldOutAccuracy);
        report.put("textMlpHeldOutStandardError", standardError(mlpHeldOutAccuracy, heldOutPrompts));
        report.put("textMlpFitAccuracy", mlpFitAccuracy);
        report.put("textMlpEpochs", mlpEpochs);
      }
      report.put("textProbeTrainingRows", trainingRows);
      report.put("textProbeWeighting", weighting.name());
      report.put("textProbeMeaning", "share of the held-out prompts whose frozen text embedding a probe trained on the "
          + "training captions' embeddings (weighted as the DiT draws them: each class by its image count) assigns to "
          + "their class: linear (softmax regression) and one hidden layer (MLP); *FitAccuracy is the same probe on "
          + "its own training captions. An estimate of how much of the class a text DiT can read from the prompt, "
          + "not a bound");
      return report;
    }

    private static double standardError(double p, int n) {
      return Math.sqrt(p * (1 - p) / n);
    }
  }

  /**
   * Fits the probes on {@code rows} and scores them on the prompts ({@code mlp} null: linear only;
   * {@code linear} null: MLP only, for row counts where L-BFGS over the L2 grid takes hours).
   *
   * @param classes class count (ids of rows and prompts lie below it)
   */
  public static Result evaluate(Rows rows, float[][] promptVectors, int[] promptClasses, int classes,
      ProbeConfig linear, MlpProbe.Config mlp) {
    if (promptVectors.length != promptClasses.length || promptVectors.length == 0) {
      throw new IllegalArgumentException("a text probe needs held-out prompts, one class each; got "
          + promptVectors.length + " vectors and " + promptClasses.length + " classes");
    }
    double[][] heldOut = new double[promptVectors.length][];
    for (int i = 0; i < heldOut.length; i++) {
      heldOut[i] = toDouble(promptVectors[i]);
    }
    if (linear == null && mlp == null) {
      throw new IllegalArgumentException("text probes: choose the linear probe, the MLP or both");
    }
    LinearProbe.Fitted linearFit = linear == null ? null
        : new LinearProbe(linear).fit(rows.x(), rows.y(), rows.weights(), classes);
    String linearCorrect = linearFit == null ? null : marks(linearFit.predict(heldOut), promptClasses);
    String mlpCorrect = null;
    double mlpHeldOut = Double.NaN;
    double mlpFit = Double.NaN;
    int epochs = 0;
    if (mlp != null) {
      MlpProbe.Fitted fitted = new MlpProbe(mlp).fit(rows.x(), rows.y(), rows.weights(), classes);
      mlpCorrect = marks(fitted.predict(heldOut), promptClasses);
      mlpHeldOut = PromptKindSplit.accuracy(mlpCorrect);
      mlpFit = fitted.trainAccuracy();
      epochs = fitted.epochs();
    }
    return new Result(rows.weighting(), rows.x().length, heldOut.length,
        linearFit == null ? Double.NaN : PromptKindSplit.accuracy(linearCorrect),
        linearFit == null ? Double.NaN : linearFit.trainAccuracy(), linearFit == null ? Double.NaN : linearFit.l2(),
        mlpHeldOut, mlpFit, epochs, linearCorrect, mlpCorrect);
  }

  /**
   * '1' / '0' per prompt for right / wrong; their mean is a plain mean over the prompts: they are the
   * seeded sample prompt consistency uses, so classes weigh alike in both.
   */
  private static String marks(int[] predicted, int[] classes) {
    StringBuilder marks = new StringBuilder(classes.length);
    for (int i = 0; i < classes.length; i++) {
      marks.append(predicted[i] == classes[i] ? '1' : '0');
    }
    return marks.toString();
  }

  private static double[] toDouble(float[] v) {
    double[] out = new double[v.length];
    for (int k = 0; k < v.length; k++) {
      out[k] = v[k];
    }
    return out;
  }
}
