package dev.aligntok.trainer.cli;

import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.captions.EvalPrompt;
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
   */
  static TextPrompts build(List<String> classNames, CaptionSet captions, Set<String> trainingImageIds, int evalPrompts,
      long evalPromptSeed, boolean probes, PrintStream out) {
    List<String> classCaptions = classNames.stream().map(name -> captions.caption(captions.classCaption(name))).toList();
    List<String> prompts = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    int unknown = 0;
    for (EvalPrompt prompt : captions.evalSubset(evalPrompts, evalPromptSeed)) {
      int id = classNames.indexOf(prompt.className());
      if (id < 0) {
        unknown++;
        continue;
      }
      prompts.add(prompt.text());
      classes.add(id);
    }
    out.printf("prompt consistency on %d held-out prompts (%d left out: class unknown to the DiT)%n",
        prompts.size(), unknown);
    float[][] captionVectors;
    TextPrompts text;
    try (TextEncoder encoder = CaptionSplitOptions.openEncoder()) {
      text = TextPrompts.embed(classCaptions, prompts, classes.stream().mapToInt(Integer::intValue).toArray(),
          encoder::embed);
      out.printf("embedding %d training captions (the classes' caption centroids)...%n",
          captions.trainingCaptions().size());
      captionVectors = encoder.embed(captions.trainingCaptions());
    }
    text = text.withCaptionCentroids(TextPrompts.captionCentroids(captions.images(), classNames, captionVectors));
    if (!probes) {
      return text;
    }
    TextClassProbes.Rows rows = TextClassProbes.trainingRows(captions.images(), trainingImageIds, classNames,
        captionVectors, TextClassProbes.Weighting.DIT_DRAWS);
    out.printf("text → class probes on %d training (caption, class) pairs of %d images...%n", rows.x().length,
        trainingImageIds.size());
    long started = System.nanoTime();
    TextClassProbes.Result result = TextClassProbes.evaluate(rows, text.promptVectors(), text.promptClasses(),
        classNames.size(), ProbeConfig.defaults(), MlpProbe.Config.defaults());
    out.printf("text probes: linear %.1f %% held-out (%.1f %% on its training captions), MLP %.1f %% (%.1f %%); %.0f s%n",
        100 * result.linearHeldOutAccuracy(), 100 * result.linearFitAccuracy(), 100 * result.mlpHeldOutAccuracy(),
        100 * result.mlpFitAccuracy(), (System.nanoTime() - started) / 1e9);
    return text.withClassProbes(result);
  }

  /** The ids of a split's images. */
  static Set<String> imageIds(List<Sample> samples) {
    Set<String> ids = new HashSet<>();
    samples.forEach(sample -> ids.add(sample.id()));
    return ids;
  }
}
