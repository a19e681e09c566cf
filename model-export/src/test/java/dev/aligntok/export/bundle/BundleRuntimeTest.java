package dev.aligntok.export.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.runtime.DecodedImages;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.SampledImage;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.runtime.GenerationRuntime;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.sampling.FlowSampler;
import dev.aligntok.inference.sampling.PortableNoise;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes a bundle of {@link TinyModels}, loads it on CPU, and checks every runtime result against the Java reference. */
class BundleRuntimeTest {
  private static final float TOLERANCE = 1e-5f;
  private static final RuntimeOptions CPU = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1);

  @TempDir static Path tmp;
  static BundleManifest written;
  static ModelBundle bundle;

  @BeforeAll
  static void writeAndLoad() throws Exception {
    written = TestBundles.writeGenerator(tmp.resolve("tiny"));
    bundle = ModelBundle.load(tmp.resolve("tiny"), CPU, ImageLimits.DEFAULT);
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  @Test
  void manifestDescribesTheGraphsSourcesLabelsAndSampler() {
    BundleManifest m = bundle.manifest();
    assertEquals(written, m);
    assertEquals(BundleManifest.FORMAT, m.format());
    assertTrue(m.id().matches("sha256:[0-9a-f]{64}"), m.id());
    assertEquals(List.of(new TensorSpec("latent", "float32", List.of(-1L, 2L, 2L, 2L)),
        new TensorSpec("t", "float32", List.of(-1L)), new TensorSpec("class", "int64", List.of(-1L))),
        m.models().get("dit").inputs());
    assertEquals("ab".repeat(32), m.source().tokenizer().weightsSha256());
    assertEquals(Path.of("runs/dit/checkpoints/step-200").toString(), m.source().dit().path());
    assertEquals(List.of("cat", "dog", "owl"), m.labels().names());
    assertEquals(3, m.labels().nullClass());
    assertEquals(TestBundles.SAMPLER, m.sampler());
    assertEquals(Map.of("rFID", 12.5), m.metrics());
    assertEquals(Map.of("encoder", BundleWriter.DEFAULT_PROFILE, "decoder", BundleWriter.DEFAULT_PROFILE,
        "dit", BundleWriter.DEFAULT_PROFILE), bundle.tensorRt().profiles());
    assertEquals(ExecutionProvider.CPU, bundle.providerSelection().provider());
  }

  @Test
  void encodeAndDecodeMatchTheJavaReference() {
    float[] images = TinyModels.images(3, 7);
    float[] latents = bundle.tokenizer().encode(images, 3);
    assertArrayEquals(TinyModels.encode(images, 3), latents, TOLERANCE);

    DecodedImages decoded = bundle.tokenizer().decode(latents, 3);
    assertArrayEquals(TinyModels.decodeToUnit(latents, 3), decoded.pixels(), TOLERANCE);
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float p : decoded.pixels()) {
      min = Math.min(min, p);
      max = Math.max(max, p);
    }
    assertTrue(min >= 0f && max <= 1f, "pixels clamped to [0, 1], got " + min + ".." + max);

    // PNG: lossless 8-bit, so decoding it gives the pixels rounded to 1/255.
    float[] fromPng = ImageTensors.toChw(new ImageDecoder().decodeRgb(decoded.png(1), "png 1"), Normalization.ZERO_ONE);
    assertArrayEquals(decoded.image(1), fromPng, 0.5f / 255 + 1e-6f);
  }

  @Test
  void generateMatchesTheSharedSamplerOverTheJavaVelocity() {
    SamplerSettings euler = new SamplerSettings(4, Solver.EULER, 1f, 1f, 0f, 1f);
    List<SamplingJob> requests = List.of(
        SamplingJob.ofClass(0, 11, 0),
        SamplingJob.ofPrompt("Night_Bird", 11, 1),
        SamplingJob.ofClass(1, 12, 0).withSettings(euler),
        SamplingJob.ofPrompt("dog", 13, 5));
    List<SampledImage> results = bundle.generation().generate(requests);

    assertEquals(4, results.size());
    assertEquals(2, results.get(1).classId());
    for (int i = 0; i < requests.size(); i++) {
      SamplingJob request = requests.get(i);
      SamplerSettings settings = request.settings() != null ? request.settings() : TestBundles.SAMPLER;
      float[] expectedLatent = reference(results.get(i).classId(), request.seed(), request.stream(), settings);
      assertArrayEquals(expectedLatent, results.get(i).latent(), TOLERANCE, "latent of request " + i);
      assertArrayEquals(TinyModels.decodeToUnit(expectedLatent, 1), results.get(i).pixels(), TOLERANCE, "image of request " + i);
    }
  }

  @Test
  void aRequestGivesTheSameResultWhateverItIsBatchedWith() {
    SamplingJob request = SamplingJob.ofClass(2, 99, 3);
    SampledImage alone = bundle.generation().generate(List.of(request)).get(0);
    List<SampledImage> crowd = bundle.generation().generate(List.of(
        SamplingJob.ofClass(0, 1, 0),
        SamplingJob.ofClass(1, 2, 0).withSettings(SamplerSettings.defaults().withSteps(3)),
        request,
        SamplingJob.ofPrompt("cat", 99, 3)));
    assertArrayEquals(alone.latent(), crowd.get(2).latent());
    assertArrayEquals(alone.pixels(), crowd.get(2).pixels());
  }

  @Test
  void requestsWithEqualSettingsShareOneDitCallPerSolverEvaluation() {
    GenerationRuntime generation = bundle.generation();
    SamplerSettings euler = new SamplerSettings(4, Solver.EULER, 1f, 1f, 0f, 1f);
    long before = generation.ditCalls();
    generation.generate(List.of(SamplingJob.ofClass(0, 1, 0), SamplingJob.ofClass(1, 2, 0),
        SamplingJob.ofClass(0, 3, 0).withSettings(euler), SamplingJob.ofClass(2, 4, 0)));
    // Heun 6 steps = 11 evaluations for the three default requests, Euler 4 = 4 for the other.
    assertEquals(TestBundles.SAMPLER.modelEvaluations() + euler.modelEvaluations(), generation.ditCalls() - before);
  }

  @Test
  void concurrentCallersShareTheSessionsAndGetTheSameResults() throws Exception {
    SamplingJob request = SamplingJob.ofClass(1, 5, 5);
    float[] expected = bundle.generation().generate(List.of(request)).get(0).latent();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 16; i++) {
        futures.add(pool.submit(() -> bundle.generation().generate(List.of(request)).get(0).latent()));
      }
      for (Future<float[]> future : futures) {
        assertArrayEquals(expected, future.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void absurdParametersAreRejectedWithTheReason() {
    GenerationRuntime generation = bundle.generation();
    assertMessage(IllegalArgumentException.class, "class id 3 is outside 0..2",
        () -> generation.generate(List.of(SamplingJob.ofClass(3, 1, 0))));
    assertMessage(IllegalArgumentException.class, "unknown class prompt 'zebra'",
        () -> generation.generate(List.of(SamplingJob.ofPrompt("zebra", 1, 0))));
    assertMessage(IllegalArgumentException.class, "exactly one of classId and prompt",
        () -> new SamplingJob(null, null, 1, 0, null));
    assertMessage(IllegalArgumentException.class, "need 1..", () -> generation.generate(List.of()));
    assertMessage(IllegalArgumentException.class, "steps must be in [1, 1000]",
        () -> SamplerSettings.defaults().withSteps(100_000));
    assertMessage(IllegalArgumentException.class, "batch size must be in [1, ",
        () -> bundle.tokenizer().encode(new float[0], 0));
    assertMessage(IllegalArgumentException.class, "must hold n × 192 = 384 floats for n = 2, got 192",
        () -> bundle.tokenizer().encode(new float[192], 2));
    float[] bright = new float[192];
    bright[5] = 2f;
    assertMessage(IllegalArgumentException.class, "image pixels must be in [0, 1], got 2.0",
        () -> bundle.tokenizer().encode(bright, 1));
    assertMessage(IllegalArgumentException.class, "latents must be finite, got NaN",
        () -> bundle.tokenizer().decode(new float[] {0, 0, 0, 0, 0, 0, 0, Float.NaN}, 1));
  }

  @Test
  void tokenizerOnlyBundleEncodesAndDecodesButCannotGenerate() throws Exception {
    TestBundles.writeTokenizerOnly(tmp.resolve("tokenizer-only"));
    try (ModelBundle tokenizerOnly = ModelBundle.load(tmp.resolve("tokenizer-only"), CPU, ImageLimits.DEFAULT)) {
      assertFalse(tokenizerOnly.canGenerate());
      assertFalse(tokenizerOnly.manifest().hasDit());
      float[] images = TinyModels.images(1, 3);
      assertArrayEquals(TinyModels.encode(images, 1), tokenizerOnly.tokenizer().encode(images, 1), TOLERANCE);
      assertMessage(IllegalStateException.class, "tokenizer-only", tokenizerOnly::generation);
    }
  }

  /** The trainer's path (LatentGenerator): portable noise → FlowSampler → x·std + mean. */
  private static float[] reference(int classId, long seed, long stream, SamplerSettings settings) {
    float[] noise = PortableNoise.gaussian(seed, stream, TinyModels.LATENT_SIZE);
    float[] x = new FlowSampler(TinyModels.VELOCITY).sample(noise, new int[] {classId}, TinyModels.LABELS.size(), 1,
        TinyModels.LATENT_SIZE, settings);
    return TinyModels.denormalise(x);
  }

  static <T extends Throwable> T assertMessage(Class<T> type, String fragment, org.junit.jupiter.api.function.Executable call) {
    T thrown = assertThrows(type, call);
    assertTrue(thrown.getMessage().contains(fragment), "expected '" + fragment + "' in: " + thrown.getMessage());
    return thrown;
  }
}
