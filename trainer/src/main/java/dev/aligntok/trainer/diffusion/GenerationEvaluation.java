package dev.aligntok.trainer.diffusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.features.FeatureCache;
import dev.aligntok.trainer.features.FeatureExtractor;
import dev.aligntok.trainer.eval.FrechetBootstrap;
import dev.aligntok.trainer.eval.FrechetDistance;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.LabelledFeatures;
import dev.aligntok.trainer.eval.LabelledImages;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.trainer.eval.LinearProbe;
import dev.aligntok.trainer.charts.LossCurves;
import dev.aligntok.trainer.eval.ProbeConfig;
import dev.aligntok.trainer.eval.ProbeResult;
import dev.aligntok.inference.image.SampleGrid;
import dev.aligntok.trainer.eval.TokenizerUnderTest;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Judges a trained DiT by its decoded samples: Fréchet distance to held-out images in a fixed
 * feature space that is not the tokenizer's encoder, without and with classifier-free guidance,
 * for one sample per held-out image of that image's class (so class frequencies match); class
 * consistency = accuracy of a linear classifier trained on real training images when it is shown
 * samples of each requested class. A text DiT is asked for a class by the class's caption, and is
 * also scored on prompt consistency: the same classifier on one sample per held-out prompt
 * ({@link TextPrompts}), against the chance level of a class-blind generator. Writes
 * {@value #REPORT_FILE}, sample grids and loss curves.
 */
public final class GenerationEvaluation {
  public static final String REPORT_FILE = "generation.json";
  private static final int BATCH = 32;

  /**
   * @param guided      the guided sampler (its CFG scale and interval); the unguided run uses the same with scale 1
   * @param gridClasses rows of the sample grids (the most frequent training classes)
   * @param gridColumns samples per row
   * @param seed        seed of sample i is seed + i
   * @param frechetResamples bootstrap resamples of the 95 % intervals of the unguided run's two
   *     Fréchet distances (to the held-out images and to their reconstructions: the convergence
   *     measures); 0: none ({@link FrechetBootstrap}: about 4 s per resample at 768 features). The
   *     guided run gets none: nothing reads them, and they would double the cost.
   */
  public record Settings(SamplerSettings guided, int gridClasses, int gridColumns, long seed, int frechetResamples) {
    public Settings {
      if (frechetResamples != 0 && frechetResamples < 2) {
        throw new IllegalArgumentException("Fréchet bootstrap resamples must be 0 (none) or >= 2, got " + frechetResamples);
      }
    }

    /** No bootstrap intervals. */
    public Settings(SamplerSettings guided, int gridClasses, int gridColumns, long seed) {
      this(guided, gridClasses, gridColumns, seed, 0);
    }
  }

  private final FeatureExtractor frechetSpace;
  private final FeatureExtractor classifierSpace;
  private final FeatureCache realImages;
  private final PrintStream out;

  /** @param realImages keeps the features of real images and reconstructions (the same at every checkpoint) */
  public GenerationEvaluation(FeatureExtractor frechetSpace, FeatureExtractor classifierSpace, FeatureCache realImages,
                              PrintStream out) {
    this.frechetSpace = frechetSpace;
    this.classifierSpace = classifierSpace;
    this.realImages = realImages;
    this.out = out;
  }

  public Map<String, Object> evaluate(TrainedDiT dit, TokenizerUnderTest tokenizer, LabelledImages train,
      LabelledImages heldOut, Settings settings, Path outputDir, Path metricsJsonl) {
    return evaluate(dit, tokenizer, train, heldOut, settings, outputDir, metricsJsonl, null);
  }

  /**
   * The evaluation of a class DiT ({@code text} null) or of a text DiT: its Fréchet and class-consistency
   * samples ask for each class by its caption, and each sampler also reports prompt consistency on
   * {@code text}'s held-out prompts (one sample per prompt), beside the chance level of a class-blind
   * generator.
   */
  public Map<String, Object> evaluate(TrainedDiT dit, TokenizerUnderTest tokenizer, LabelledImages train,
      LabelledImages heldOut, Settings settings, Path outputDir, Path metricsJsonl, TextPrompts text) {
    if (dit.config().textConditioned() != (text != null)) {
      throw new IllegalArgumentException(dit.config().textConditioned()
          ? "DiT " + dit.checkpoint() + " is conditioned on text: evaluate it with its captions and held-out prompts"
          : "DiT " + dit.checkpoint() + " is conditioned on classes: it takes no prompts");
    }
    LatentGenerator generator = new LatentGenerator(dit, BATCH);
    out.println("features of " + heldOut.size() + " held-out and " + train.size() + " training images...");
    FeatureExtractor realFrechet = realImages.of(frechetSpace);
    FeatureExtractor realClassifier = realImages.of(classifierSpace);
    LabelledFeatures heldOutFrechet = LabelledFeatures.of(realFrechet, heldOut, BATCH);
    LabelledFeatures trainClassifier = LabelledFeatures.of(realClassifier, train, BATCH);
    LabelledFeatures heldOutClassifier = LabelledFeatures.of(realClassifier, heldOut, BATCH);
    // One fit serves the real held-out images and both sample sets (the same deterministic model each time).
    LinearProbe.Fitted classifier = new LinearProbe(ProbeConfig.defaults()).fit(trainClassifier.x(),
        trainClassifier.y(), LinearProbe.classCount(trainClassifier.y(), heldOutClassifier.y(),
            text != null ? text.promptClasses() : new int[0]));
    ProbeResult realAccuracy = classifier.score(heldOutClassifier.x(), heldOutClassifier.y());
    // The tokenizer's own reconstructions of the held-out images: samples can look no better than its
    // decoder, so the distance to these measures the DiT apart from the decoder's error.
    LabelledFeatures heldOutReconstructed = LabelledFeatures.collect(heldOut, BATCH,
        batch -> realFrechet.extract(tokenizer.decode(tokenizer.encode(batch.images()))));

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("dit", Directories.relativePath(outputDir, dit.checkpoint())); // where generation.json is
    report.put("trainedSteps", dit.state().step());
    report.put("trainingStepsPerSecond", dit.state().trainingSeconds() > 0 ? dit.state().step() / dit.state().trainingSeconds() : 0);
    report.put("model", dit.config());
    report.put("frechetFeatureSpace", frechetSpace.name());
    report.put("classifierFeatureSpace", classifierSpace.name());
    report.put("samples", heldOut.size());
    if (text != null) {
      report.put("conditioning", "text: Fréchet and class-consistency samples ask for each class by its caption; "
          + "promptConsistency uses held-out phrasings");
      Map<String, Object> prompts = new LinkedHashMap<>();
      prompts.put("prompts", text.prompts().size());
      prompts.put("chanceLevel", text.chanceLevel());
      prompts.put("mostFrequentClassShare", text.mostFrequentClassShare());
      prompts.put("chanceLevelMeaning", "expected prompt consistency of a class-blind generator whose samples' classes "
          + "follow the eval prompts' class frequencies q (sum of q squared); mostFrequentClassShare is what one that "
          + "always draws the most frequent class scores");
      prompts.put("nearestClassCaptionAccuracy", text.nearestClassCaptionAccuracy());
      if (text.captionCentroids() != null) {
        prompts.put("nearestCaptionCentroidAccuracy", text.nearestCentroidAccuracy());
      }
      prompts.put("nearestMeaning", "share of held-out prompts whose frozen text embedding is nearest (cosine) to "
          + "their own class's caption / centroid of its training captions, among all classes: how much of the class "
          + "the text path carries before any DiT");
      if (text.classProbes() != null) {
        prompts.putAll(text.classProbes().report());
      }
      if (text.ambiguity() != null) {
        prompts.putAll(text.ambiguity().report());
      }
      if (text.promptKinds() != null) {
        prompts.put("byPromptKind", text.byPromptKind());
        prompts.put("byPromptKindMeaning", PromptKindSplit.meaning());
      }
      prompts.put("examples", text.prompts().subList(0, Math.min(5, text.prompts().size())));
      report.put("promptConsistency", prompts);
    }
    report.put("classifierAccuracyOnRealHeldOut", realAccuracy.heldOutAccuracy());
    report.put("reconstructionFrechet", FrechetDistance.between(heldOutFrechet.x(), heldOutReconstructed.x()).distance());
    int[] classes = heldOutFrechet.y();
    Map<String, Object> runs = new LinkedHashMap<>();
    for (SamplerSettings sampler : List.of(settings.guided().withGuidance(1f, 0f, 1f), settings.guided())) {
      String name = sampler.cfgScale() == 1f ? "without_cfg" : "with_cfg";
      long started = System.nanoTime();
      ImageBatch samples = decode(tokenizer, sampleClasses(generator, text, classes, seeds(settings.seed(), classes.length),
          sampler));
      double seconds = (System.nanoTime() - started) / 1e9;
      double[][] sampleFeatures = frechetSpace.extract(samples);
      FrechetDistance.Result fd = FrechetDistance.between(heldOutFrechet.x(), sampleFeatures);
      ProbeResult consistency = classifier.score(classifierSpace.extract(samples), classes);
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("sampler", sampler);
      run.put("frechetDistance", fd.distance());
      run.put("frechet", fd);
      run.put("frechetToReconstructions", FrechetDistance.between(heldOutReconstructed.x(), sampleFeatures).distance());
      if (settings.frechetResamples() > 0 && sampler.cfgScale() == 1f) {
        out.printf("%s: bootstrap intervals of the Fréchet distances (%d resamples each)...%n", name,
            settings.frechetResamples());
        run.put("frechetInterval", FrechetBootstrap.interval(heldOutFrechet.x(), sampleFeatures,
            settings.frechetResamples(), settings.seed()));
        run.put("frechetToReconstructionsInterval", FrechetBootstrap.interval(heldOutReconstructed.x(), sampleFeatures,
            settings.frechetResamples(), settings.seed()));
      }
      run.put("classConsistency", consistency.heldOutAccuracy());
      // Chance from the class frequencies (Σq² over the requested classes), not 1/classes: the classes are unbalanced.
      run.put("classConsistencyChance", consistency.frequencyChance());
      run.put("classConsistencyStandardError", consistency.heldOutStandardError());
      run.put("samplesPerSecond", classes.length / seconds);
      runs.put(name, run);
      out.printf("%s: Fréchet distance %.2f, class consistency %.1f%% (%d samples, %.1f samples/s)%n", name,
          fd.distance(), 100 * consistency.heldOutAccuracy(), classes.length, classes.length / seconds);
      if (text != null) {
        ImageBatch promptSamples = decode(tokenizer, generator.generate(text.promptVectors(), text.nullCondition(),
            seeds(settings.seed(), text.prompts().size()), new long[text.prompts().size()], sampler));
        double promptConsistency = classifier.score(classifierSpace.extract(promptSamples), text.promptClasses())
            .heldOutAccuracy();
        run.put("promptConsistency", promptConsistency);
        out.printf("%s: prompt consistency %.1f%% on %d held-out prompts (class-blind chance %.1f%%)%n", name,
            100 * promptConsistency, text.prompts().size(), 100 * text.chanceLevel());
        writePromptGrid(dit, tokenizer, generator, text, settings, sampler, outputDir.resolve("prompts-" + name + ".png"));
      }
      writeGrid(dit, tokenizer, generator, train, settings, sampler, outputDir.resolve("samples-" + name + ".png"), text);
    }
    report.put("runs", runs);
    try {
      Files.createDirectories(outputDir);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(outputDir.resolve(REPORT_FILE).toFile(), report);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + outputDir.resolve(REPORT_FILE), e);
    }
    if (metricsJsonl != null && Files.exists(metricsJsonl)) {
      LossCurves.writeInto(metricsJsonl, outputDir, LossCurves.Options.defaults().withTitle("DiT training"));
    }
    return report;
  }

  /** A row per frequent class, the same seeds in every row so rows differ only by class. */
  private void writeGrid(TrainedDiT dit, TokenizerUnderTest tokenizer, LatentGenerator generator, LabelledImages train,
      Settings settings, SamplerSettings sampler, Path png, TextPrompts text) {
    List<Integer> rows = mostFrequent(train, settings.gridClasses());
    int columns = settings.gridColumns();
    int[] classes = new int[rows.size() * columns];
    long[] seeds = new long[classes.length];
    List<String> labels = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      labels.add(dit.classNames().get(rows.get(r)));
      for (int c = 0; c < columns; c++) {
        classes[r * columns + c] = rows.get(r);
        seeds[r * columns + c] = settings.seed() + c;
      }
    }
    ImageBatch images = decode(tokenizer, sampleClasses(generator, text, classes, seeds, sampler));
    String title = String.format("DiT step %d samples, %d %s steps, CFG %.1f in [%.2f, %.2f]", dit.state().step(),
        sampler.steps(), sampler.solver().name().toLowerCase(), sampler.cfgScale(), sampler.cfgLow(), sampler.cfgHigh());
    SampleGrid.write(png, images, labels, columns, 2, title);
  }

  /** The first held-out prompts as rows (labelled with the prompt), the same seeds in every row. */
  private void writePromptGrid(TrainedDiT dit, TokenizerUnderTest tokenizer, LatentGenerator generator, TextPrompts text,
      Settings settings, SamplerSettings sampler, Path png) {
    int rows = Math.min(settings.gridClasses(), text.prompts().size());
    int columns = settings.gridColumns();
    float[][] conditions = new float[rows * columns][];
    long[] seeds = new long[conditions.length];
    for (int i = 0; i < conditions.length; i++) {
      conditions[i] = text.promptVectors()[i / columns];
      seeds[i] = settings.seed() + i % columns;
    }
    ImageBatch images = decode(tokenizer, generator.generate(conditions, text.nullCondition(), seeds, new long[seeds.length],
        sampler));
    String title = String.format("DiT step %d, held-out prompts, CFG %.1f", dit.state().step(), sampler.cfgScale());
    SampleGrid.write(png, images, text.prompts().subList(0, rows), columns, 2, title);
  }

  /** Samples of the given classes: by class id on a class DiT, by each class's caption on a text DiT. */
  private static LatentBatch sampleClasses(LatentGenerator generator, TextPrompts text, int[] classes, long[] seeds,
      SamplerSettings sampler) {
    long[] streams = new long[classes.length];
    return text == null ? generator.generate(classes, seeds, streams, sampler)
        : generator.generate(text.conditionsOf(classes), text.nullCondition(), seeds, streams, sampler);
  }

  static List<Integer> mostFrequent(LabelledImages images, int k) {
    Map<Integer, Integer> counts = new LinkedHashMap<>();
    images.forEachBatch(BATCH, batch -> Arrays.stream(batch.labels()).forEach(l -> counts.merge(l, 1, Integer::sum)));
    return counts.entrySet().stream()
        .sorted(Map.Entry.<Integer, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .limit(k).map(Map.Entry::getKey).toList();
  }

  private static long[] seeds(long seed, int n) {
    return IntStream.range(0, n).mapToLong(i -> seed + i).toArray();
  }

  private static ImageBatch decode(TokenizerUnderTest tokenizer, LatentBatch latents) {
    List<ImageBatch> parts = new ArrayList<>();
    for (int from = 0; from < latents.count(); from += BATCH) {
      int n = Math.min(BATCH, latents.count() - from);
      int size = latents.channels() * latents.height() * latents.width();
      float[] chunk = Arrays.copyOfRange(latents.values(), from * size, (from + n) * size);
      parts.add(tokenizer.decode(new LatentBatch(chunk, n, latents.channels(), latents.height(), latents.width())));
    }
    ImageBatch first = parts.get(0);
    float[] pixels = new float[latents.count() * first.imageFloats()];
    int at = 0;
    for (ImageBatch part : parts) {
      System.arraycopy(part.pixels(), 0, pixels, at, part.pixels().length);
      at += part.pixels().length;
    }
    return new ImageBatch(pixels, latents.count(), first.height(), first.width());
  }
}
