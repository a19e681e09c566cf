package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageMetrics;
import dev.aligntok.inference.image.ReconstructionGrid;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.features.FeatureExtractor;
import dev.aligntok.trainer.features.MobileNetV2Features;
import dev.aligntok.trainer.features.Pooling;
import dev.aligntok.trainer.linalg.Matrices;
import dev.aligntok.trainer.linalg.Pca;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Evaluates a tokenizer (docs/architecture.md §8): on the held-out split, PSNR
 * and SSIM of reconstructions ({@link ImageMetrics}), the Fréchet distance between originals and
 * reconstructions in a fixed pretrained feature space ({@link FrechetDistance},
 * {@link FeatureExtractor}), per-channel latent statistics ({@link LatentStats}); and the
 * linear-probe accuracy ({@link LinearProbe}) of latents pooled globally, pooled to 2×2 and whole,
 * trained on the training split and scored on the held-out split — optionally also of raw pixels,
 * both on a fixed grid and cut (area-averaging, then PCA) to each latent probe's width. Writes
 * {@code eval.json} and {@code reconstructions.png}.
 *
 * <p>The probes of things that do not depend on the tokenizer — raw pixels, frozen-encoder
 * features — have static helpers, so they can be run once and attached to each report with
 * {@link EvaluationReport#withProbe}. Every probe uses the same {@link ProbeConfig} and splits.
 */
public final class TokenizerEvaluation {
  public static final String REPORT_FILE = "eval.json";
  public static final String GRID_FILE = "reconstructions.png";
  /**
   * The paper's probe pools latents globally, which leaves only C = 8 numbers here; a second probe
   * pools to a 2×2 grid (4·C values, the same order as the 4×4 raw-pixel probe's 48).
   */
  static final int LATENT_PROBE_GRID = 2;
  public static final String LATENT_GRID_PROBE = "latents_2x2";
  /** The whole latent, every C·H·W value, no pooling. */
  public static final String LATENT_FULL_PROBE = "latents_full";
  /** Key prefix of raw-pixel references as wide as a latent probe: {@code raw_pixels_pca@latents_full}. */
  public static final String PIXELS_AT_WIDTH = "raw_pixels_pca@";
  /** Key prefix of frozen-encoder references as wide as a latent probe: {@code frozen_encoder_pca@latents}. */
  public static final String FROZEN_AT_WIDTH = "frozen_encoder_pca@";
  static final List<String> DEFINITIONS = List.of(
      "images: RGB in [0, 1]; reconstructions clamped to [0, 1] before every metric",
      "psnr: per image 10*log10(1/MSE) over all 3*H*W values, capped at " + ImageMetrics.PSNR_CAP_DB
          + " dB (identical images); summary over images",
      "ssim: Wang et al. 2004, Gaussian window 11x11 sigma 1.5, K1 0.01, K2 0.03, L 1, valid windows only, "
          + "per RGB channel then averaged; summary over images",
      "frechet: |mu1-mu2|^2 + Tr(S1 + S2 - 2 (S1 S2)^1/2) between held-out originals and their reconstructions "
          + "(both 8-bit quantised, resized to the network input), covariances unbiased, a ridge eps*I added to both "
          + "(eps reported); biased upwards for small n, compare only at equal counts; interval (when asked for): "
          + "D +- 1.96 sd of D over bootstrap resamples of the held-out images, each image drawn with its own "
          + "reconstruction (paired)",
      "probes: multinomial logistic regression (L-BFGS, standardised features, L2 chosen on a seeded selection "
          + "fold of the training split, walking the grid from strongest to weakest and stopping after `patience` "
          + "values in a row each worse than the one before, once the accuracy has risen above the first; settings in the 'probe settings' line), trained on the training split, accuracy on the held-out split; "
          + "majorityBaseline = always answering the most common training class; frequencyChance = sum of squared "
          + "held-out class frequencies (a class-blind guesser drawing classes as often as they occur); "
          + "heldOutStandardError = sqrt(p(1-p)/n) over the n held-out images; heldOutCorrect = per held-out image "
          + "1/0 in split order, for paired differences (SE of a - b = sd of the per-image differences / sqrt(n))",
      "probe fits: converged = max|gradient| <= gradientTolerance * max(1, |loss|) at the final fit, however it "
          + "stopped; l2AtGridEdge = the chosen L2 is the grid's strongest or weakest; each candidate also says "
          + "whether its selection-fold fit converged",
      "latents probe: latents averaged over their spatial grid (one value per channel, C); latents_2x2: averaged over "
          + "a 2x2 grid (4C); latents_full: every latent value, no pooling (C*H*W); frozen_encoder:*: the pretrained "
          + "encoder's own features, pooled",
      "references of the same width as each latent probe K: raw_pixels_pca@K = pixels area-averaged to the smallest "
          + "g x g grid with 3*g*g >= width, then PCA (fitted on the training split) to exactly that width; "
          + "frozen_encoder_pca@K = the frozen encoder's feature map average-pooled to the smallest g x g grid with "
          + "channels*g*g >= width (g = 1: global pooling), then PCA (training split) to that width, fewer only if the "
          + "whole map cannot hold it (dimensions says the width used); PCA coordinates are turned by a seeded random "
          + "rotation within the kept subspace before the probe standardises them, so that they are not whitened",
      "latentStats: per-channel mean and population std over held-out latents and grid positions");

  private final EvaluationConfig config;
  private final FeatureExtractor frechetFeatures;

  /**
   * @param frechetFeatures the feature space for Fréchet distances, or null to skip them; not
   *     closed here (the caller may reuse it for several tokenizers)
   */
  public TokenizerEvaluation(EvaluationConfig config, FeatureExtractor frechetFeatures) {
    if (config == null) {
      throw new IllegalArgumentException("evaluation config must be set");
    }
    this.config = config;
    this.frechetFeatures = frechetFeatures;
  }

  /** Evaluates and writes {@value #REPORT_FILE} and {@value #GRID_FILE} into {@code outputDir}. */
  public EvaluationReport evaluate(TokenizerUnderTest tokenizer, LabelledImages train, LabelledImages heldOut,
      Path outputDir) {
    HeldOutPass held = new HeldOutPass(tokenizer);
    EvaluationReport report = evaluate(tokenizer, train, heldOut, held);
    writeReport(outputDir.resolve(REPORT_FILE), report);
    if (held.gridOriginals != null) {
      ReconstructionGrid.write(outputDir.resolve(GRID_FILE), held.gridOriginals, held.gridReconstructions,
          config.grid().title() != null ? config.grid()
              : config.grid().withTitle(tokenizer.name() + " on " + heldOut.name() + " (first " + held.gridOriginals.count()
                  + " of " + heldOut.size() + "): originals above reconstructions"));
    }
    return report;
  }

  /** Evaluates without writing anything. */
  public EvaluationReport evaluate(TokenizerUnderTest tokenizer, LabelledImages train, LabelledImages heldOut) {
    return evaluate(tokenizer, train, heldOut, new HeldOutPass(tokenizer));
  }

  private EvaluationReport evaluate(TokenizerUnderTest tokenizer, LabelledImages train, LabelledImages heldOut,
      HeldOutPass held) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    long start = System.nanoTime();
    heldOut.forEachBatch(config.batchSize(), held::add);
    seconds.put("heldOutPass", elapsed(start) - held.featureSeconds); // feature extraction is counted under "frechet"

    start = System.nanoTime();
    TrainPass trainPass = new TrainPass(tokenizer);
    train.forEachBatch(config.batchSize(), trainPass::add);
    seconds.put("trainPass", elapsed(start));

    EvaluationReport.Frechet frechet = null;
    if (frechetFeatures != null) {
      start = System.nanoTime();
      double[][] originals = toArray(held.originalFeatures);
      double[][] reconstructions = toArray(held.reconstructionFeatures);
      FrechetDistance.Result result = FrechetDistance.between(originals, reconstructions);
      FrechetBootstrap.Interval interval = config.frechetResamples() == 0 ? null
          : FrechetBootstrap.pairedInterval(originals, reconstructions, config.frechetResamples(), config.probe().seed());
      frechet = new EvaluationReport.Frechet(frechetFeatures.name(), result, interval);
      seconds.put("frechet", elapsed(start) + held.featureSeconds);
    }

    Map<String, ProbeResult> probes = new LinkedHashMap<>();
    start = System.nanoTime();
    LinearProbe probe = new LinearProbe(config.probe());
    probes.put("latents", probe.evaluate(toArray(trainPass.pooledLatents), trainPass.labels(), toArray(held.pooledLatents),
        held.labels()));
    seconds.put("probeLatents", elapsed(start));
    start = System.nanoTime();
    probes.put(LATENT_GRID_PROBE, probe.evaluate(toArray(trainPass.gridLatents), trainPass.labels(), toArray(held.gridLatents),
        held.labels()));
    seconds.put("probeLatentGrid", elapsed(start));
    start = System.nanoTime();
    probes.put(LATENT_FULL_PROBE, probe.evaluate(toArray(trainPass.fullLatents), trainPass.labels(), toArray(held.fullLatents),
        held.labels()));
    seconds.put("probeLatentFull", elapsed(start));
    LatentBatch shape = held.firstLatents;
    if (config.probeRawPixels()) {
      start = System.nanoTime();
      probes.put(pixelProbeName(config.pixelProbeGrid()), probe.evaluate(toArray(trainPass.pooledPixels), trainPass.labels(),
          toArray(held.pooledPixels), held.labels()));
      seconds.put("probeRawPixels", elapsed(start));
      start = System.nanoTime();
      probes.putAll(probeRawPixelsAtWidths(train, heldOut, latentProbeWidths(shape.channels(), shape.height(), shape.width()),
          config.probe(), config.batchSize()));
      seconds.put("probeRawPixelsAtWidths", elapsed(start));
    }

    ImageBatch imageShape = held.firstImages;
    double ratio = (double) shape.latentFloats() / imageShape.imageFloats();
    return new EvaluationReport(tokenizer.name(), new EvaluationReport.Split(train.name(), train.size()),
        new EvaluationReport.Split(heldOut.name(), heldOut.size()),
        new EvaluationReport.ImageShape(imageShape.height(), imageShape.width()),
        new EvaluationReport.LatentShape(shape.channels(), shape.height(), shape.width()), ratio,
        Summary.of(toDoubles(held.psnr)), Summary.of(toDoubles(held.ssim)), frechet, probes, held.latentStats.result(), seconds,
        definitions(config.probe()));
  }

  /**
   * Width of each latent probe for C×H×W latents, by key: {@code latents} C, {@code latents_2x2}
   * 4C, {@code latents_full} C·H·W — the widths the same-width references are cut to.
   */
  public static Map<String, Integer> latentProbeWidths(int channels, int height, int width) {
    Map<String, Integer> widths = new LinkedHashMap<>();
    widths.put("latents", channels);
    widths.put(LATENT_GRID_PROBE, channels * LATENT_PROBE_GRID * LATENT_PROBE_GRID);
    widths.put(LATENT_FULL_PROBE, channels * height * width);
    return widths;
  }

  /**
   * Cells per side of the raw-pixel grid a same-width reference starts from: the smallest g with
   * 3·g² ≥ {@code width}, at most the image side (PCA then cuts the 3·g² values to the width).
   */
  static int pixelGridForWidth(int width, int imageSide) {
    int g = 1;
    while (3 * g * g < width && g < imageSide) {
      g++;
    }
    return g;
  }

  /**
   * Raw-pixel references as wide as each latent probe ({@code widths}, e.g. from
   * {@link #latentProbeWidths}): pixels area-averaged to the smallest g×g grid with 3·g² ≥ the
   * width, then PCA fitted on the training split to exactly that width (fewer if the grid cannot
   * hold it). Keys {@value #PIXELS_AT_WIDTH} + the latent probe's key.
   */
  public static Map<String, ProbeResult> probeRawPixelsAtWidths(LabelledImages train, LabelledImages heldOut,
      Map<String, Integer> widths, ProbeConfig probe, int batchSize) {
    Map<String, ProbeResult> results = new LinkedHashMap<>();
    LinearProbe linear = new LinearProbe(probe);
    for (Map.Entry<String, Integer> entry : widths.entrySet()) {
      int width = entry.getValue();
      int[] grid = new int[1];
      LabelledFeatures trainSet = LabelledFeatures.collect(train, batchSize, b -> {
        grid[0] = pixelGridForWidth(width, Math.min(b.images().height(), b.images().width()));
        return pooledPixels(b.images(), grid[0]);
      });
      LabelledFeatures heldSet = LabelledFeatures.collect(heldOut, batchSize, b -> pooledPixels(b.images(), grid[0]));
      results.put(PIXELS_AT_WIDTH + entry.getKey(), probeAtWidth(linear, trainSet, heldSet, width, probe.seed()));
    }
    return results;
  }

  /**
   * A feature map that can be average-pooled to a g×g grid: {@code channels}·g² values per image,
   * g from 1 (global) to {@code mapSide}; e.g. {@code MobileNetV2Features::pooledToGrid}.
   */
  public record GriddedFeatures(int channels, int mapSide, IntFunction<FeatureExtractor> pooledToGrid) {}

  /**
   * Frozen-encoder references as wide as each latent probe: the feature map pooled to the smallest
   * grid whose channels·g² values hold the width (global pooling for the pooled latents; a coarse
   * grid for the whole latent, which keeps layout too), then cut by a PCA fitted on the training
   * split to exactly that width (fewer only if the whole map cannot hold it). Keys
   * {@value #FROZEN_AT_WIDTH} + the latent probe's key. Each grid's features are extracted once.
   */
  public static Map<String, ProbeResult> probeFeaturesAtWidths(GriddedFeatures features, LabelledImages train,
      LabelledImages heldOut, Map<String, Integer> widths, ProbeConfig probe, int batchSize) {
    Map<Integer, LabelledFeatures[]> byGrid = new LinkedHashMap<>();
    Map<String, ProbeResult> results = new LinkedHashMap<>();
    LinearProbe linear = new LinearProbe(probe);
    for (Map.Entry<String, Integer> entry : widths.entrySet()) {
      int cells = featureGridForWidth(entry.getValue(), features.channels(), features.mapSide());
      LabelledFeatures[] sets = byGrid.computeIfAbsent(cells, g -> {
        FeatureExtractor extractor = features.pooledToGrid().apply(g);
        return new LabelledFeatures[] {
            LabelledFeatures.collect(train, batchSize, b -> extractor.extract(b.images())),
            LabelledFeatures.collect(heldOut, batchSize, b -> extractor.extract(b.images()))};
      });
      results.put(FROZEN_AT_WIDTH + entry.getKey(), probeAtWidth(linear, sets[0], sets[1], entry.getValue(),
          probe.seed()));
    }
    return results;
  }

  /**
   * Cells per side of the feature grid a same-width reference starts from: the smallest g with
   * channels·g² ≥ width, at most the map side.
   */
  static int featureGridForWidth(int width, int channels, int mapSide) {
    int g = 1;
    while (channels * g * g < width && g < mapSide) {
      g++;
    }
    return g;
  }

  /**
   * PCA fitted on the training rows only, to min(width, feature width) components, then a seeded
   * random rotation within that subspace. Why the rotation: the probe standardises each feature, and
   * PCA coordinates standardised are whitened — the last, near-constant components are blown up
   * (their training variance ~0), and on held-out images they swamp the rest (in the smoke run the
   * whitened 512-d pixel reference fell to the majority class, 62.6 %, while its selection fold read
   * 74 %). Rotated, every coordinate mixes all components and has about the same variance, so
   * standardising rescales the subspace almost uniformly, as it does for the latents.
   */
  static ProbeResult probeAtWidth(LinearProbe linear, LabelledFeatures trainSet, LabelledFeatures heldSet, int width,
      long seed) {
    int k = Math.min(width, trainSet.x()[0].length);
    Pca pca = Pca.fit(trainSet.x(), k);
    double[][] rotation = Matrices.randomOrthogonal(k, seed);
    return linear.evaluate(Matrices.multiply(pca.project(trainSet.x()), rotation), trainSet.y(),
        Matrices.multiply(pca.project(heldSet.x()), rotation), heldSet.y());
  }

  /** {@link #DEFINITIONS} and the probe settings actually used. */
  static List<String> definitions(ProbeConfig probe) {
    List<String> all = new ArrayList<>(DEFINITIONS);
    all.add("probe settings: L2 grid " + probe.l2Grid() + ", selection fraction " + probe.selectionFraction()
        + ", at most " + probe.maxIterations() + " L-BFGS iterations, gradient tolerance " + probe.gradientTolerance()
        + ", patience " + probe.patience() + " (0 = whole grid), seed " + probe.seed() + ", L2 chosen by " + probe.selection()
        + (probe.selection() == ProbeConfig.Selection.ONE_STANDARD_ERROR ? " (the strongest L2 whose fit converged and "
            + "whose selection accuracy is within one binomial standard error of the best converged one; final fit "
            + "warm-started from it)" : " (the highest selection accuracy, ties to the stronger L2)"));
    return all;
  }

  /** Probe key for raw pixels pooled to a grid, e.g. {@code raw_pixels_4x4}. */
  public static String pixelProbeName(int grid) {
    return "raw_pixels_" + grid + "x" + grid;
  }

  /** Linear probe of raw pixels averaged over a grid×grid layout (tokenizer-independent). */
  public static ProbeResult probeRawPixels(LabelledImages train, LabelledImages heldOut, int grid, ProbeConfig probe,
      int batchSize) {
    LabelledFeatures trainSet = LabelledFeatures.collect(train, batchSize, b -> pooledPixels(b.images(), grid));
    LabelledFeatures heldSet = LabelledFeatures.collect(heldOut, batchSize, b -> pooledPixels(b.images(), grid));
    return new LinearProbe(probe).evaluate(trainSet.x(), trainSet.y(), heldSet.x(), heldSet.y());
  }

  /**
   * Linear probe of a fixed network's pooled features — with {@link MobileNetV2Features} at the
   * encoder's tap and input size, the "frozen encoder" baseline. Key suggestion:
   * {@code "frozen_encoder:" + features.name()}.
   */
  public static ProbeResult probeFeatures(FeatureExtractor features, LabelledImages train, LabelledImages heldOut,
      ProbeConfig probe, int batchSize) {
    LabelledFeatures trainSet = LabelledFeatures.collect(train, batchSize, b -> features.extract(b.images()));
    LabelledFeatures heldSet = LabelledFeatures.collect(heldOut, batchSize, b -> features.extract(b.images()));
    return new LinearProbe(probe).evaluate(trainSet.x(), trainSet.y(), heldSet.x(), heldSet.y());
  }

  /** Writes a report as indented JSON (parent directories are created). */
  public static void writeReport(Path file, EvaluationReport report) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      mapper.writeValue(file.toFile(), report);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write evaluation report " + file, e);
    }
  }

  private static double[][] pooledPixels(ImageBatch images, int grid) {
    return Pooling.grid(images.pixels(), images.count(), ImageBatch.CHANNELS, images.height(), images.width(), grid);
  }

  private static LatentBatch encode(TokenizerUnderTest tokenizer, ImageBatch images) {
    LatentBatch latents = tokenizer.encode(images);
    if (latents == null || latents.count() != images.count()) {
      throw new IllegalStateException("tokenizer " + tokenizer.name() + " encoded " + images.count() + " images into "
          + (latents == null ? "null" : latents.shape()) + " latents");
    }
    return latents;
  }

  private static ImageBatch decode(TokenizerUnderTest tokenizer, LatentBatch latents, ImageBatch originals) {
    ImageBatch reconstructions = tokenizer.decode(latents);
    if (reconstructions == null || !reconstructions.sameShape(originals)) {
      throw new IllegalStateException("tokenizer " + tokenizer.name() + " decoded latents " + latents.shape() + " into "
          + (reconstructions == null ? "null" : reconstructions.shape()) + ", expected " + originals.shape());
    }
    return reconstructions;
  }

  /** What is gathered from the held-out split, batch by batch. */
  private final class HeldOutPass {
    final TokenizerUnderTest tokenizer;
    final List<Double> psnr = new ArrayList<>();
    final List<Double> ssim = new ArrayList<>();
    final List<double[]> pooledLatents = new ArrayList<>();
    final List<double[]> gridLatents = new ArrayList<>();
    final List<double[]> fullLatents = new ArrayList<>();
    final List<double[]> pooledPixels = new ArrayList<>();
    final List<Integer> labelList = new ArrayList<>();
    final List<double[]> originalFeatures = new ArrayList<>();
    final List<double[]> reconstructionFeatures = new ArrayList<>();
    final LatentStats.Accumulator latentStats = new LatentStats.Accumulator();
    double featureSeconds;
    LatentBatch firstLatents;
    ImageBatch firstImages;
    ImageBatch gridOriginals;
    ImageBatch gridReconstructions;

    HeldOutPass(TokenizerUnderTest tokenizer) {
      this.tokenizer = tokenizer;
    }

    void add(LabelledImages.LabelledBatch batch) {
      ImageBatch images = batch.images();
      LatentBatch latents = encode(tokenizer, images);
      ImageBatch reconstructions = decode(tokenizer, latents, images);
      if (firstLatents == null) {
        firstLatents = latents;
        firstImages = images;
      }
      Arrays.stream(ImageMetrics.psnr(images, reconstructions)).forEach(psnr::add);
      Arrays.stream(ImageMetrics.ssim(images, reconstructions)).forEach(ssim::add);
      latentStats.add(latents);
      pooledLatents.addAll(Arrays.asList(latents.pooled()));
      gridLatents.addAll(Arrays.asList(latents.pooled(LATENT_PROBE_GRID)));
      fullLatents.addAll(Arrays.asList(latents.flattened()));
      if (config.probeRawPixels()) {
        pooledPixels.addAll(Arrays.asList(pooledPixels(images, config.pixelProbeGrid())));
      }
      Arrays.stream(batch.labels()).forEach(labelList::add);
      if (frechetFeatures != null) {
        long start = System.nanoTime();
        originalFeatures.addAll(Arrays.asList(frechetFeatures.extract(images)));
        reconstructionFeatures.addAll(Arrays.asList(frechetFeatures.extract(reconstructions)));
        featureSeconds += elapsed(start);
      }
      collectGrid(images, reconstructions);
    }

    private void collectGrid(ImageBatch images, ImageBatch reconstructions) {
      int have = gridOriginals == null ? 0 : gridOriginals.count();
      int take = Math.min(config.gridImages() - have, images.count());
      if (take <= 0) {
        return;
      }
      gridOriginals = append(gridOriginals, images.head(take));
      gridReconstructions = append(gridReconstructions, reconstructions.head(take));
    }

    int[] labels() {
      return labelList.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** What is gathered from the training split: pooled latents (and pixels) with labels. */
  private final class TrainPass {
    final TokenizerUnderTest tokenizer;
    final List<double[]> pooledLatents = new ArrayList<>();
    final List<double[]> gridLatents = new ArrayList<>();
    final List<double[]> fullLatents = new ArrayList<>();
    final List<double[]> pooledPixels = new ArrayList<>();
    final List<Integer> labelList = new ArrayList<>();

    TrainPass(TokenizerUnderTest tokenizer) {
      this.tokenizer = tokenizer;
    }

    void add(LabelledImages.LabelledBatch batch) {
      LatentBatch latents = encode(tokenizer, batch.images());
      pooledLatents.addAll(Arrays.asList(latents.pooled()));
      gridLatents.addAll(Arrays.asList(latents.pooled(LATENT_PROBE_GRID)));
      fullLatents.addAll(Arrays.asList(latents.flattened()));
      if (config.probeRawPixels()) {
        pooledPixels.addAll(Arrays.asList(pooledPixels(batch.images(), config.pixelProbeGrid())));
      }
      Arrays.stream(batch.labels()).forEach(labelList::add);
    }

    int[] labels() {
      return labelList.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  private static ImageBatch append(ImageBatch head, ImageBatch tail) {
    if (head == null) {
      return tail;
    }
    float[] pixels = Arrays.copyOf(head.pixels(), head.pixels().length + tail.pixels().length);
    System.arraycopy(tail.pixels(), 0, pixels, head.pixels().length, tail.pixels().length);
    return new ImageBatch(pixels, head.count() + tail.count(), head.height(), head.width());
  }

  private static double[][] toArray(List<double[]> rows) {
    return rows.toArray(new double[0][]);
  }

  private static double[] toDoubles(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double elapsed(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
