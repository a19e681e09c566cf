package dev.aligntok.stream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch is one runtime call, never one per request: that is what lets a text bundle's runtime embed
 * all the batch's prompts in one text-encoder call. Counted on the DiT, which the runtime calls once
 * per solver evaluation for all rows of a call.
 */
class BundleGeneratorBatchTest {
  @TempDir Path tmp;

  @Test
  void threeRequestsOfFiveImagesAreOneRuntimeCall() {
    ModelBundle bundle = ModelBundle.load(TinyBundles.write(tmp.resolve("a"), "a"), TinyBundles.CPU,
        ImageLimits.DEFAULT);
    try (BundleSlot slot = new BundleSlot(bundle)) {
      BundleGenerator generator = new BundleGenerator(slot);
      assertFalse(generator.acceptsFreeText(), "no text bundle before the bundle branch is merged");
      SamplerSettings euler3 = new SamplerSettings(3, Solver.EULER, 1f, 3f, 0f, 1f);
      List<ValidatedGeneration> batch = List.of(
          new ValidatedGeneration("a", 0, "cat", 1, 2, euler3, false, Map.of()),
          new ValidatedGeneration("b", 1, "dog", 2, 1, euler3, false, Map.of()),
          new ValidatedGeneration("c", 2, "owl", 3, 2, euler3, false, Map.of()));
      long before = bundle.generation().ditCalls();

      GenerationBatchResult result = generator.generate(batch);

      assertEquals(List.of(2, 1, 2), result.samples().stream().map(List::size).toList());
      assertEquals(3, bundle.generation().ditCalls() - before,
          "3 Euler steps for all five images (cond and uncond in one call); one call per request would be 9");
    }
  }

  @Test
  void aRequestCancelledMidRunStopsAtTheNextStepAndTheOthersGiveTheirImagesUnchanged() {
    ModelBundle bundle = ModelBundle.load(TinyBundles.write(tmp.resolve("b"), "b"), TinyBundles.CPU,
        ImageLimits.DEFAULT);
    try (BundleSlot slot = new BundleSlot(bundle)) {
      BundleGenerator generator = new BundleGenerator(slot);
      SamplerSettings heun10 = new SamplerSettings(10, Solver.HEUN, 1f, 3f, 0f, 1f);
      List<ValidatedGeneration> batch = List.of(
          new ValidatedGeneration("a", 0, "cat", 1, 2, heun10, true, Map.of()),
          new ValidatedGeneration("b", 1, "dog", 2, 1, heun10, true, Map.of()),
          new ValidatedGeneration("c", 2, "owl", 3, 2, heun10, true, Map.of()));
      GenerationBatchResult whole = generator.generate(batch);

      AtomicInteger askedAboutB = new AtomicInteger();
      GenerationBatchResult result;
      try (ImageGeneratorPort.Lease lease = generator.lease()) {
        // b's one image is asked about once per step; the DELETE "lands" after its fourth step.
        result = lease.generate(batch, id -> id.equals("b") && askedAboutB.incrementAndGet() > 4);
      }

      assertEquals(Set.of("b"), result.cancelled());
      assertEquals(5, askedAboutB.get(), "b stopped at the step its cancellation was seen and was not asked again");
      assertEquals(List.of(2, 0, 2), result.samples().stream().map(List::size).toList());
      for (int request : new int[] {0, 2}) {
        for (int image = 0; image < 2; image++) {
          float[] expected = whole.samples().get(request).get(image).latent().values();
          float[] got = result.samples().get(request).get(image).latent().values();
          for (int j = 0; j < expected.length; j++) {
            assertEquals(expected[j], got[j], 1e-4f, "request " + request + " image " + image + " element " + j);
          }
        }
      }
    }
  }
}
