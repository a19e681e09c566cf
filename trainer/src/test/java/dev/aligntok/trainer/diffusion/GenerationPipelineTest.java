package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.cli.AlignTokCli;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.inference.image.SampleGrid;
import dev.aligntok.trainer.latents.TinyTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizer latents → extraction → DiT training → sampling → decoding, CI-sized, through the real pieces. */
class GenerationPipelineTest {

  @Test
  void extractedLatentsTrainADiTWhoseSeededSamplesRepeatAndDecode(@TempDir Path dir) throws Exception {
    Path run = TinyDiT.train(dir, 10);

    try (TrainedDiT dit = TrainedDiT.load(run)) {
      assertEquals(TinyTokenizer.checkpoint().toAbsolutePath().normalize().toString(),
          dit.tokenizerCheckpoint().toAbsolutePath().toString());
      assertFalse(Path.of(dit.state().provenance().tokenizerCheckpoint()).isAbsolute(), "recorded relative to the run");
      assertEquals("../latents", dit.state().provenance().latents());
      assertEquals(0, dit.vocabulary().id("Circle"), "synonyms from the extraction resolve");
      assertEquals(1, dit.vocabulary().id("SQUARE"));
      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> dit.vocabulary().id("sqare"));
      assertTrue(unknown.getMessage().contains("closest: square"), unknown.getMessage());

      LatentGenerator generator = new LatentGenerator(dit, 3);
      SamplerSettings settings = new SamplerSettings(6, dev.aligntok.inference.sampling.Solver.HEUN, 2f, 3f, 0.1f, 0.9f);
      int[] classes = {0, 1, 1, 0};
      long[] seeds = {5, 5, 6, 7};
      LatentBatch first = generator.generate(classes, seeds, new long[4], settings);
      LatentBatch again = generator.generate(classes, seeds, new long[4], settings);
      assertArrayEquals(first.values(), again.values(), "same seeds and chunking → bit-identical latents");
      // Another chunking changes libtorch's GEMM blocking, so only the last float bits may move.
      LatentBatch rechunked = new LatentGenerator(dit, 4).generate(classes, seeds, new long[4], settings);
      assertArrayEquals(first.values(), rechunked.values(), 1e-4f, "same seeds → same latents, whatever the chunking");
      int size = first.channels() * first.height() * first.width();
      assertFalse(Arrays.equals(Arrays.copyOfRange(first.values(), size, 2 * size),
          Arrays.copyOfRange(first.values(), 2 * size, 3 * size)), "different seeds → different samples");
      for (float v : first.values()) {
        assertTrue(Float.isFinite(v));
      }
      ImageBatch images = TinyTokenizer.tokenizer().decode(first);
      assertEquals(16, images.height());
      Path png = dir.resolve("grid.png");
      SampleGrid.write(png, images, List.of("disc", "square"), 2, 2, "test");
      assertTrue(Files.size(png) > 100);
    }

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Path cache = TinyTokenizer.nsfwjs().getParent().getParent().getParent();
    int exit = AlignTokCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("sample",
        "--cache", cache.toString(), "--dit", run.toString(), "--prompt", "sqare", "--steps", "4");
    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains("closest: square"), err.toString());
    exit = AlignTokCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("sample",
        "--cache", cache.toString(), "--dit", run.toString(), "--prompt", "circle", "--prompt", "square", "--count", "3",
        "--steps", "4", "--out", dir.resolve("samples.png").toString());
    assertEquals(0, exit, err.toString());
    assertTrue(Files.size(dir.resolve("samples.png")) > 100);
  }
}
