package dev.aligntok.trainer.export;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.runtime.SampledImage;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.inference.text.ClassCaption;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.trainer.diffusion.LatentGenerator;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.LatentBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Runs a written bundle in ONNX Runtime (CPU) and the DJL models it came from on the same seeded
 * inputs: encoder on random images, decoder on latents drawn from the training statistics, and a
 * short guided Heun generation from the same portable seeds through both samplers (a class DiT on
 * random classes; a text DiT on fixed prompts and a class request, embedded by the text encoder).
 */
public final class ExportVerification {
  private static final int IMAGES = 4;
  private static final long SEED = 20261129L;
  /** Few steps but every sampler feature: Heun, a shift and CFG active on part of the interval. */
  static final SamplerSettings GENERATION_CHECK = new SamplerSettings(8, Solver.HEUN, 2f, 3f, 0.1f, 0.9f);
  /** Free text a text DiT is checked on (the last image is a class request); the empty prompt is the guidance null. */
  static final List<String> PROMPTS = List.of("a smiling cat wearing sunglasses", "a red heart", "");
  private static final RuntimeOptions CPU = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU));

  private ExportVerification() {}

  /**
   * Per check (encoder, decoder, generation latents): the max abs error, the same over the largest
   * magnitude ({@code relative}), and the worst element's error over max(1, |value|) ({@code scaled}).
   */
  public record Report(Map<String, Double> maxAbs, Map<String, Double> relative, Map<String, Double> scaled) {
    /**
     * The worst scaled error: absolute for values up to 1 (pixels, most latents), relative above, so
     * a latent channel with a spread of 3.5 is held to float32 accumulation over the sampler's steps,
     * not to a bound its own ulps nearly reach. The stream tests compare with the same rule.
     */
    public double worst() {
      return scaled.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    public String describe() {
      return maxAbs.keySet().stream()
          .map(k -> String.format("%s max abs %.2e (relative %.2e, scaled %.2e)", k, maxAbs.get(k), relative.get(k),
              scaled.get(k)))
          .collect(Collectors.joining("; "));
    }

    /** Manifest metrics: {@code parity.<check>.max_abs}, {@code .relative} and {@code .scaled}. */
    public Map<String, Object> asMetrics() {
      Map<String, Object> metrics = new LinkedHashMap<>();
      maxAbs.forEach((k, v) -> {
        metrics.put("parity." + k + ".max_abs", v);
        metrics.put("parity." + k + ".relative", relative.get(k));
        metrics.put("parity." + k + ".scaled", scaled.get(k));
      });
      return metrics;
    }
  }

  public static Report run(Path bundleDir, BundleExport.Sources sources) {
    try (ModelBundle bundle = ModelBundle.load(bundleDir, CPU, ImageLimits.DEFAULT)) {
      Map<String, Double> maxAbs = new LinkedHashMap<>();
      Map<String, Double> relative = new LinkedHashMap<>();
      Map<String, Double> scaled = new LinkedHashMap<>();
      SplittableRandom random = new SplittableRandom(SEED);

      int size = bundle.tokenizer().imageSize();
      float[] images = new float[IMAGES * 3 * size * size];
      for (int i = 0; i < images.length; i++) {
        images[i] = (float) random.nextDouble();
      }
      LatentBatch djlLatents = sources.tokenizer().encode(new ImageBatch(images, IMAGES, size, size));
      record(maxAbs, relative, scaled, "encoder", djlLatents.values(), bundle.tokenizer().encode(images, IMAGES));

      float[] latents = randomLatents(random, bundle.tokenizer().latent().mean(), bundle.tokenizer().latent().std(),
          bundle.tokenizer().latentFloats());
      ImageBatch djlImages = sources.tokenizer().decode(new LatentBatch(latents, IMAGES, djlLatents.channels(),
          djlLatents.height(), djlLatents.width()));
      // The runtime serves displayable pixels, clamped to [0, 1]; DJL's decoder output is not clamped.
      record(maxAbs, relative, scaled, "decoder", clampUnit(djlImages.pixels()), bundle.tokenizer().decode(latents, IMAGES).pixels());

      long[] seeds = new long[IMAGES];
      List<SamplingJob> requests = new ArrayList<>();
      float[] djlGenerated = sources.dit().config().textConditioned()
          ? textGeneration(sources, random, seeds, requests)
          : classGeneration(sources, random, seeds, requests);
      List<SampledImage> generated = bundle.generation().generate(requests);
      float[] ortGenerated = new float[djlGenerated.length];
      for (int i = 0; i < IMAGES; i++) {
        float[] latent = generated.get(i).latent();
        System.arraycopy(latent, 0, ortGenerated, i * latent.length, latent.length);
      }
      record(maxAbs, relative, scaled, "generation", djlGenerated, ortGenerated);
      return new Report(maxAbs, relative, scaled);
    }
  }

  /** Random classes: DJL by class id, the runtime by class id; fills {@code seeds} and {@code requests}. */
  private static float[] classGeneration(BundleExport.Sources sources, SplittableRandom random, long[] seeds,
      List<SamplingJob> requests) {
    int[] classes = new int[IMAGES];
    for (int i = 0; i < IMAGES; i++) {
      classes[i] = random.nextInt(sources.dit().config().classes());
      seeds[i] = random.nextLong(1_000_000);
      requests.add(SamplingJob.ofClass(classes[i], seeds[i], 0).withSettings(GENERATION_CHECK));
    }
    return new LatentGenerator(sources.dit(), IMAGES).generate(classes, seeds, new long[IMAGES], GENERATION_CHECK).values();
  }

  /**
   * {@link #PROMPTS} and one random class: DJL under the text encoder's embeddings (the class as its
   * {@link ClassCaption}, guided against the empty prompt), the runtime by prompt text and class id,
   * so the bundle's own encoder, caption rule and null vector are checked too.
   */
  private static float[] textGeneration(BundleExport.Sources sources, SplittableRandom random, long[] seeds,
      List<SamplingJob> requests) {
    List<String> texts = new ArrayList<>(PROMPTS);
    int classId = random.nextInt(sources.dit().classNames().size());
    texts.add(ClassCaption.of(sources.dit().classNames().get(classId)));
    for (int i = 0; i < IMAGES; i++) {
      seeds[i] = random.nextLong(1_000_000);
      SamplingJob job = i < PROMPTS.size() ? SamplingJob.ofPrompt(PROMPTS.get(i), seeds[i], 0)
          : SamplingJob.ofClass(classId, seeds[i], 0);
      requests.add(job.withSettings(GENERATION_CHECK));
    }
    texts.add("");
    float[][] embeddings;
    try (TextEncoder encoder = TextEncoder.open(BundleExport.TEXT_ENCODER, CPU)) {
      embeddings = encoder.embed(texts);
    }
    return new LatentGenerator(sources.dit(), IMAGES).generate(Arrays.copyOf(embeddings, IMAGES), embeddings[IMAGES],
        seeds, new long[IMAGES], GENERATION_CHECK).values();
  }

  private static float[] clampUnit(float[] pixels) {
    float[] clamped = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      clamped[i] = Math.max(0f, Math.min(1f, pixels[i]));
    }
    return clamped;
  }

  private static float[] randomLatents(SplittableRandom random, List<Float> mean, List<Float> std, int perImage) {
    int channels = mean.size();
    int cells = perImage / channels;
    float[] values = new float[IMAGES * perImage];
    for (int i = 0; i < values.length; i++) {
      int channel = (i / cells) % channels;
      values[i] = (float) (mean.get(channel) + std.get(channel) * random.nextGaussian());
    }
    return values;
  }

  private static void record(Map<String, Double> maxAbs, Map<String, Double> relative, Map<String, Double> scaled,
      String check, float[] expected, float[] actual) {
    if (expected.length != actual.length) {
      throw new IllegalStateException(check + ": DJL gave " + expected.length + " values, ONNX Runtime " + actual.length);
    }
    double worst = 0;
    double scale = 0;
    double worstScaled = 0;
    for (int i = 0; i < expected.length; i++) {
      double error = Math.abs(expected[i] - actual[i]);
      worst = Math.max(worst, error);
      scale = Math.max(scale, Math.abs(expected[i]));
      worstScaled = Math.max(worstScaled, error / Math.max(1, Math.abs(expected[i])));
    }
    maxAbs.put(check, worst);
    scaled.put(check, worstScaled);
    relative.put(check, scale == 0 ? worst : worst / scale);
  }
}
