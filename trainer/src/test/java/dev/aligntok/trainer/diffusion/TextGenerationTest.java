package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.trainer.eval.LatentBatch;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A text DiT samples under condition vectors, guided against the null vector, seeded and chunked like a class DiT. */
class TextGenerationTest {
  private static final SamplerSettings GUIDED = new SamplerSettings(6, Solver.HEUN, 2f, 3f, 0f, 1f);
  private static final SamplerSettings UNGUIDED = new SamplerSettings(6, Solver.HEUN, 2f, 1f, 0f, 1f);

  @Test
  void conditionVectorsSteerSeededGuidedSamples(@TempDir Path run) {
    RandomConditions conditions = new RandomConditions(32, 2, 24, 21);
    new FlowTrainer(run, FlowTrainerTest.quiet()).train(FlowTrainerTest.TINY_TEXT, FlowTrainerTest.config(15),
        RectifiedFlow.standard(), FlowTrainerTest.twoPatterns(32), FlowTrainerTest.SYNTHETIC, conditions);
    try (TrainedDiT dit = TrainedDiT.load(run)) {
      float[][] prompts = {conditions.caption(0, 0), conditions.caption(1, 0), conditions.caption(0, 0), conditions.caption(1, 1)};
      long[] seeds = {5, 5, 6, 7};
      float[] nullVector = conditions.nullCondition();
      LatentGenerator generator = new LatentGenerator(dit, 3);
      LatentBatch first = generator.generate(prompts, nullVector, seeds, new long[4], GUIDED);
      assertArrayEquals(first.values(), generator.generate(prompts, nullVector, seeds, new long[4], GUIDED).values(),
          "same vectors and seeds → bit-identical latents");
      assertArrayEquals(first.values(), new LatentGenerator(dit, 4).generate(prompts, nullVector, seeds, new long[4], GUIDED)
          .values(), 1e-4f, "whatever the chunking");
      int size = dit.latentSize();
      assertFalse(Arrays.equals(row(first, 0, size), row(first, 1, size)), "different prompts, same seed → different samples");

      // guidance evaluates the null rows: with the prompt itself as the null vector it cancels out
      float[][] one = {prompts[0]};
      LatentBatch selfGuided = generator.generate(one, prompts[0], new long[] {5}, new long[1], GUIDED);
      LatentBatch unguided = generator.generate(one, nullVector, new long[] {5}, new long[1], UNGUIDED);
      assertArrayEquals(unguided.values(), selfGuided.values(), 1e-5f);
      assertTrue(maxDifference(row(first, 0, size), unguided.values()) > 1e-4, "guidance against the null vector moves the sample");

      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> generator.generate(one, new float[5], new long[] {5}, new long[1], GUIDED));
      assertTrue(e.getMessage().contains("null condition has 5 values, the DiT takes 24"), e.getMessage());
      IllegalStateException classes = assertThrows(IllegalStateException.class,
          () -> generator.generate(new int[] {0}, new long[] {5}, new long[1], GUIDED));
      assertTrue(classes.getMessage().contains("text embeddings"), classes.getMessage());
    }
  }

  private static float[] row(LatentBatch batch, int i, int size) {
    return Arrays.copyOfRange(batch.values(), i * size, (i + 1) * size);
  }

  private static double maxDifference(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
