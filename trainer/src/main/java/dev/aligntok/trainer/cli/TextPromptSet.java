package dev.aligntok.trainer.cli;

import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.captions.EvalPrompt;
import dev.aligntok.trainer.captions.PromptAmbiguity;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.diffusion.TextClassProbes;
import dev.aligntok.trainer.diffusion.TextPrompts;
import dev.aligntok.trainer.eval.MlpProbe;
import dev.aligntok.trainer.eval.ProbeConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The class captions and held-out prompts of a text DiT, embedded with the frozen text encoder,
 * with the classes' caption centroids and, optionally, the text → class probes: what
 * {@code eval generation} scores prompt consistency on and {@code eval text-prompts} reports alone.
 */
final class TextPromptSet {
  private TextPromptSet() {}

  /**
   * @param classNames the DiT's classes in id order; prompts of other classes are left out
   * @param trainingImageIds the images the DiT trained on (their captions train the probes)
   * @param probes whether to fit the text → class probes (a few minutes on one core)
   * @param linearProbe whether the probes include the linear one (L-BFGS over an L2 grid: about 20 CPU
   *     minutes on 12k caption rows, growing with the rows), else the MLP alone
   */
  static TextPrompts build(List<String> classNames, CaptionSet captions, Set<String> trainingImageIds, int evalPrompts,
      long evalPromptSeed, boolean probes, boolean linearProbe, PrintStream out) {
    List<String> classCaptions = classNames.stream().map(name -> captions.caption(captions.classCaption(name))).toList();
    List<EvalPrompt> drawn = drawn(classNames, captions, evalPrompts, evalPromptSeed, out);
    List<String> prompts = drawn.stream().map(EvalPrompt::text).toList();
    int[] classes = drawn.stream().mapToInt(prompt -> classNames.indexOf(prompt.className())).toArray();
    float[][] captionVectors;
    TextPrompts text;
    try (TextEncoder encoder = CaptionSplitOptions.openEncoder()) {
      text = TextPrompts.embed(classCaptions, prompts, classes, encoder::embed);
      out.printf("embedding %d training captions (the classes' caption centroids)...%n",
          captions.trainingCaptions().size());
      captionVectors = encoder.embed(captions.trainingCaptions());
    }
    text = text.withCaptionCentroids(TextPrompts.captionCentroids(captions.images(), classNames, captionVectors))
        .withAmbiguity(ambiguity(captions, drawn, trainingImageIds, out))
        .withPromptKinds(drawn.stream().map(EvalPrompt::kind).toList());
    if (!probes) {
      return text;
    }
    TextClassProbes.Rows rows = TextClassProbes.trainingRows(captions.images(), trainingImageIds, classNames,
        captionVectors, TextClassProbes.Weighting.DIT_DRAWS);
    out.printf("text → class probes on %d training (caption, class) pairs of %d images...%n", rows.x().length,
        trainingImageIds.size());
    long started = System.nanoTime();
    TextClassProbes.Result result = TextClassProbes.evaluate(rows, text.promptVectors(), text.promptClasses(),
        classNames.size(), linearProbe ? ProbeConfig.defaults() : null, MlpProbe.Config.defaults());
    out.printf("text probes: linear %.1f %% held-out (%.1f %% on its training captions), MLP %.1f %% (%.1f %%); %.0f s%n",
        100 * result.linearHeldOutAccuracy(), 100 * result.linearFitAccuracy(), 100 * result.mlpHeldOutAccuracy(),
        100 * result.mlpFitAccuracy(), (System.nanoTime() - started) / 1e9);
    return text.withClassProbes(result);
  }

  /**
   * The held-out prompts scored: {@code evalPrompts} of the seeded subset, less those of classes the
   * DiT does not know.
   */
  static List<EvalPrompt> drawn(List<String> classNames, CaptionSet captions, int evalPrompts, long evalPromptSeed,
      PrintStream out) {
    List<EvalPrompt> drawn = new ArrayList<>();
    int unknown = 0;
    for (EvalPrompt prompt : captions.evalSubset(evalPrompts, evalPromptSeed)) {
      if (classNames.contains(prompt.className())) {
        drawn.add(prompt);
      } else {
        unknown++;
      }
    }
    out.printf("prompt consistency on %d held-out prompts (%d left out: class unknown to the DiT)%n",
        drawn.size(), unknown);
    return drawn;
  }

  /** The drawn prompts' {@link PromptAmbiguity} (counts only, no encoder: well under a second). */
  static PromptAmbiguity ambiguity(CaptionSet captions, List<EvalPrompt> drawn, Set<String> trainingImageIds,
      PrintStream out) {
    PromptAmbiguity ambiguity = PromptAmbiguity.of(captions, drawn, trainingImageIds);
    out.printf("ambiguity ceiling %.1f %% of the held-out prompts (%.1f %% shared by >= 2 classes, %.2f classes per "
            + "text); training captions as drawn: ceiling %.1f %%, %.1f %% of draws ambiguous; held-out phrase in "
            + "training %.1f %% (%.1f %% under >= 2 classes)%n", 100 * ambiguity.ambiguityCeiling(),
        100 * ambiguity.ambiguousPromptShare(), ambiguity.meanClassesPerPrompt(), 100 * ambiguity.trainingCaptionCeiling(),
        100 * ambiguity.trainingCaptionAmbiguousShare(), 100 * ambiguity.heldOutPhraseInTrainingShare(),
        100 * ambiguity.heldOutPhraseAmbiguousShare());
    return ambiguity;
  }

  /** The ids of a split's images. */
  static Set<String> imageIds(List<Sample> samples) {
    Set<String> ids = new HashSet<>();
    samples.forEach(sample -> ids.add(sample.id()));
    return ids;
  }
}
