package dev.aligntok.export.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.TensorRtConfig;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.GenerationRuntime;
import dev.aligntok.inference.runtime.OnnxModel;
import dev.aligntok.inference.runtime.PromptEmbedder;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.SampledImage;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.runtime.SessionFactory;
import dev.aligntok.inference.sampling.ConditionTable;
import dev.aligntok.inference.sampling.FlowSampler;
import dev.aligntok.inference.sampling.PortableNoise;
import dev.aligntok.inference.text.ClassCaption;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.inference.text.TextEncoderArtifact;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bundle of {@link TinyModels#textDit} referencing the real text encoder: loaded on CPU, it takes
 * any prompt as free text and a class id as its class caption, and every latent equals the shared
 * sampler over the Java reference formula under the encoder's embeddings.
 */
class TextBundleRuntimeTest {
  private static final RuntimeOptions CPU = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1);

  @TempDir static Path tmp;
  static BundleManifest written;
  static ModelBundle bundle;
  static TextEncoder reference;

  @BeforeAll
  static void writeAndLoad() throws Exception {
    written = TestBundles.writeTextGenerator(tmp.resolve("text"));
    bundle = ModelBundle.load(tmp.resolve("text"), CPU, ImageLimits.DEFAULT);
    reference = TextEncoder.open(CPU);
  }

  @AfterAll
  static void close() {
    bundle.close();
    reference.close();
  }

  @Test
  void manifestReferencesTheEncoderWithoutCopyingIt() throws Exception {
    assertEquals(written, bundle.manifest());
    assertEquals(TextEncoderArtifact.MINILM_L6_V2_Q.manifestEntry(384), bundle.manifest().textEncoder());
    assertTrue(bundle.textConditioned());
    assertTrue(bundle.generation().textConditioned());
    try (var files = java.nio.file.Files.list(bundle.directory())) {
      assertEquals(List.of("decoder.onnx", "dit.onnx", "encoder.onnx", "manifest.json", "tensorrt.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "the encoder's model is not in the bundle");
    }
  }

  @Test
  void freeTextAndClassRequestsMatchTheReference() {
    List<SamplingJob> jobs = List.of(SamplingJob.ofPrompt("a smiling cat wearing sunglasses", 5, 0),
        SamplingJob.ofPrompt("a red heart", 5, 0), SamplingJob.ofClass(1, 5, 0),
        SamplingJob.ofPrompt(ClassCaption.of("dog"), 5, 0), SamplingJob.ofPrompt("", 9, 2),
        SamplingJob.ofPrompt("zebra", 3, 1));
    List<SampledImage> results = bundle.generation().generate(jobs);
    List<String> texts = List.of("a smiling cat wearing sunglasses", "a red heart", "an emoji of dog", "an emoji of dog", "",
        "zebra");
    for (int i = 0; i < jobs.size(); i++) {
      SamplingJob job = jobs.get(i);
      assertArrayEquals(expected(texts.get(i), job.seed(), job.stream()), results.get(i).latent(), 1e-5f, "job " + i);
      assertEquals(job.classId() != null ? job.classId() : GenerationRuntime.FREE_TEXT, results.get(i).classId(), "job " + i);
      assertTrue(results.get(i).png().length > 50);
    }
    assertFalse(Arrays.equals(results.get(0).latent(), results.get(1).latent()), "different prompts, same seed");
    assertArrayEquals(results.get(3).latent(), results.get(2).latent(), "class 1 means the prompt 'an emoji of dog'");
  }

  /**
   * The nastiest prompts the service lets through (1,000 characters, its limit): one token per CJK
   * character, emoji the vocabulary lacks, one 1,000-letter "word", punctuation only. Each generates
   * a finite image, and the work is bounded by the encoder's 128-token window: a 1,000-character
   * prompt gives exactly the image of its first 126 tokens' worth of text.
   */
  @Test
  void promptsAtTheServicesLengthLimitGenerateWithinTheTokenWindow() {
    String cjk = "猫".repeat(1000);
    List<SamplingJob> jobs = List.of(SamplingJob.ofPrompt(cjk, 4, 0), SamplingJob.ofPrompt("😎".repeat(500), 4, 0),
        SamplingJob.ofPrompt("a".repeat(1000), 4, 0), SamplingJob.ofPrompt("!?.,".repeat(250), 4, 0),
        SamplingJob.ofPrompt("猫".repeat(126), 4, 0));
    List<SampledImage> results = bundle.generation().generate(jobs);
    for (int i = 0; i < jobs.size(); i++) {
      for (float value : results.get(i).latent()) {
        assertTrue(Float.isFinite(value), "job " + i + " has a non-finite latent value");
      }
      assertTrue(results.get(i).png().length > 50, "job " + i);
    }
    assertArrayEquals(results.get(4).latent(), results.get(0).latent(),
        "1,000 CJK characters are cut to the 126 that fit between [CLS] and [SEP]");
  }

  @Test
  void allTextsOfACallAreEmbeddedInOneEncoderCall() throws Exception {
    List<List<String>> calls = new ArrayList<>();
    PromptEmbedder counting = new PromptEmbedder() {
      @Override
      public float[][] embed(List<String> prompts) {
        calls.add(List.copyOf(prompts));
        return bundle.textEncoder().embed(prompts);
      }

      @Override
      public String classCaption(String className) {
        return ClassCaption.of(className);
      }
    };
    BundleManifest m = bundle.manifest();
    SessionFactory.Opened opened = new SessionFactory(CPU, TensorRtConfig.uniform(BundleWriter.DEFAULT_PROFILE, false,
        List.of(BundleManifest.DIT)), "text", tmp).open(Map.of(BundleManifest.DIT, bundle.directory().resolve("dit.onnx")),
        Map.of(BundleManifest.DIT, m.models().get(BundleManifest.DIT)));
    OnnxModel dit = opened.models().get(BundleManifest.DIT);
    try {
      GenerationRuntime runtime = new GenerationRuntime(dit, bundle.tokenizer(), m.latent(), m.labels().vocabulary(),
          m.sampler(), counting);
      assertEquals(List.of(List.of("")), calls, "the null prompt once, at construction");
      List<SamplingJob> jobs = List.of(SamplingJob.ofPrompt("a", 1, 0), SamplingJob.ofClass(0, 2, 0),
          SamplingJob.ofPrompt("a", 3, 0).withSettings(m.sampler().withSteps(2)), SamplingJob.ofPrompt("b", 4, 0));
      List<SampledImage> results = runtime.generate(jobs);
      assertEquals(List.of(List.of(""), List.of("a", "an emoji of cat", "b")), calls, "one call, distinct texts");
      assertArrayEquals(bundle.generation().generate(jobs.subList(0, 1)).get(0).latent(), results.get(0).latent());
    } finally {
      dit.close();
    }
  }

  /** The shared sampler over the reference formula, conditioned on the reference encoder's embeddings. */
  private static float[] expected(String text, long seed, long stream) {
    float[][] vectors = reference.embed(List.of(text, ""));
    ConditionTable table = new ConditionTable(TinyModels.textVelocity(TestBundles.TEXT_DIM), new float[][] {vectors[0]},
        vectors[1]);
    float[] noise = PortableNoise.gaussian(seed, stream, TinyModels.LATENT_SIZE);
    float[] x = new FlowSampler(table).sample(noise, table.ids(), table.nullId(), 1, TinyModels.LATENT_SIZE,
        TestBundles.SAMPLER);
    return TinyModels.denormalise(x);
  }
}
