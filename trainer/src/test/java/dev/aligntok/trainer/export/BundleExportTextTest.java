package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.GenerationRuntime;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.SampledImage;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.text.ClassCaption;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.trainer.diffusion.ConditionSource;
import dev.aligntok.trainer.diffusion.LatentGenerator;
import dev.aligntok.trainer.diffusion.TinyDiT;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.latents.TinyTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny text DiT trained on real sentence embeddings of its captions → export (parity checked on
 * prompts) → bundle → serving runtime: free text and class requests give the trainer's latents for
 * the same prompt and seed, and different prompts give different images.
 */
class BundleExportTextTest {
  private static final int TEXT_DIM = 384;
  private static final RuntimeOptions CPU = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU));

  @Test
  void exportedTextBundleGeneratesWhatTheTrainerGeneratesForAPrompt(@TempDir Path dir) throws Exception {
    try (TextEncoder encoder = TextEncoder.open(BundleExport.TEXT_ENCODER, CPU)) {
      Path run = TinyDiT.trainText(dir, 8, TEXT_DIM, data -> captions(encoder, data.labelNames(), data.labels()));
      Path bundleDir = dir.resolve("bundle");
      SamplerSettings defaults = SamplerSettings.defaults().withSteps(6);
      try (TrainedDiT dit = TrainedDiT.load(run)) {
        StringWriter log = new StringWriter();
        BundleManifest manifest = new BundleExport(new PrintWriter(log)).export(
            new BundleExport.Sources(TinyTokenizer.tokenizer(), TinyTokenizer.checkpoint(), dit), "tiny-text", defaults,
            Map.of(), bundleDir);
        for (String check : List.of("encoder", "decoder", "generation")) {
          double error = ((Number) manifest.metrics().get("parity." + check + ".scaled")).doubleValue();
          assertTrue(error <= BundleExport.TOLERANCE, check + " parity " + error + "; " + log);
        }
        assertEquals(BundleExport.TEXT_ENCODER.manifestEntry(TEXT_DIM), manifest.textEncoder());
        try (var files = Files.list(bundleDir)) {
          assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("minilm")), "the encoder is referenced, not copied");
        }

        try (ModelBundle bundle = ModelBundle.load(bundleDir)) {
          assertTrue(bundle.textConditioned());
          List<String> prompts = List.of("a smiling cat wearing sunglasses", "a red heart", "a red heart",
              ClassCaption.of("square"));
          long[] seeds = {11, 11, 12, 13};
          float[][] vectors = encoder.embed(List.of(prompts.get(0), prompts.get(1), prompts.get(2), prompts.get(3), ""));
          float[] trainer = new LatentGenerator(dit, 4).generate(Arrays.copyOf(vectors, 4), vectors[4], seeds, new long[4],
              defaults).values();
          List<SampledImage> served = bundle.generation().generate(List.of(SamplingJob.ofPrompt(prompts.get(0), 11, 0),
              SamplingJob.ofPrompt(prompts.get(1), 11, 0), SamplingJob.ofPrompt(prompts.get(2), 12, 0),
              SamplingJob.ofClass(1, 13, 0), SamplingJob.ofPrompt(prompts.get(3), 13, 0)));
          int dim = trainer.length / 4;
          double worst = 0;
          for (int i = 0; i < 4; i++) {
            float[] expected = Arrays.copyOfRange(trainer, i * dim, (i + 1) * dim);
            assertArrayEquals(expected, served.get(i).latent(), 1e-4f, "image " + i + ": same prompt and seed, same latent");
            for (int j = 0; j < dim; j++) {
              worst = Math.max(worst, Math.abs(expected[j] - served.get(i).latent()[j]));
            }
          }
          System.out.printf("text bundle: trainer vs service max abs latent difference %.2e; export %s%n", worst,
              log.toString().strip());
          assertEquals(List.of(GenerationRuntime.FREE_TEXT, GenerationRuntime.FREE_TEXT, GenerationRuntime.FREE_TEXT, 1,
              GenerationRuntime.FREE_TEXT), served.stream().map(SampledImage::classId).toList());
          assertFalse(Arrays.equals(served.get(0).latent(), served.get(1).latent()), "different prompts, same seed");
          assertFalse(Arrays.equals(served.get(0).pixels(), served.get(1).pixels()), "... different images");
          assertArrayEquals(served.get(4).latent(), served.get(3).latent(), "class 1 is the prompt " + prompts.get(3));
        }
      }
    }
  }

  /**
   * Each image's condition at a step: its class caption or "a picture of" its class, alternating with
   * the step (a pure function of step and image); the empty prompt is the null.
   */
  private static ConditionSource captions(TextEncoder encoder, List<String> classNames, int[] labels) {
    float[][] byClass = encoder.embed(classNames.stream().map(ClassCaption::of).toList());
    float[][] pictures = encoder.embed(classNames.stream().map(name -> "a picture of " + name).toList());
    float[] nullVector = encoder.embed(List.of(""))[0];
    return new ConditionSource() {
      @Override
      public int width() {
        return TEXT_DIM;
      }

      @Override
      public float[] nullCondition() {
        return nullVector;
      }

      @Override
      public float[] condition(long step, int image) {
        return (step + image) % 2 == 0 ? byClass[labels[image]] : pictures[labels[image]];
      }
    };
  }
}
