package dev.aligntok.stream.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.testing.TinyBundles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
}
