package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.cli.AlignTokCli;
import dev.aligntok.trainer.diffusion.LatentGenerator;
import dev.aligntok.trainer.diffusion.TinyDiT;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.latents.TinyTokenizer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trained tiny models → bundle → serving runtime: the runtime reproduces the trainer for the same seed. */
class BundleExportTest {

  @Test
  void exportedBundleLoadsAndGeneratesWhatTheTrainerGenerates(@TempDir Path dir) throws Exception {
    Path run = TinyDiT.train(dir, 10);
    Path bundleDir = dir.resolve("bundle");
    SamplerSettings defaults = SamplerSettings.defaults().withSteps(6);
    try (TrainedDiT dit = TrainedDiT.load(run)) {
      BundleManifest manifest = new BundleExport(new PrintWriter(new StringWriter())).export(
          new BundleExport.Sources(TinyTokenizer.tokenizer(), TinyTokenizer.checkpoint(), dit), "tiny", defaults, Map.of(),
          bundleDir);
      for (String check : List.of("encoder", "decoder", "generation")) {
        double error = ((Number) manifest.metrics().get("parity." + check + ".scaled")).doubleValue();
        assertTrue(error <= BundleExport.TOLERANCE, check + " parity " + error);
      }
      assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().startsWith(".export-")), "staging removed");

      // the manifest names the checkpoints relative to the bundle, not by this machine's absolute paths
      assertEquals(Directories.relativePath(bundleDir, TinyTokenizer.checkpoint()), manifest.source().tokenizer().path());
      assertEquals(TinyTokenizer.checkpoint().toAbsolutePath().normalize(),
          Directories.resolveRecorded(bundleDir.toAbsolutePath(), manifest.source().tokenizer().path()));
      assertEquals("../dit/checkpoints/step-00000010", manifest.source().dit().path());

      try (ModelBundle bundle = ModelBundle.load(bundleDir)) {
        assertEquals(manifest.id(), bundle.id());
        assertEquals(List.of("disc", "square"), bundle.manifest().labels().names());
        int[] classes = {1, 0, 1};
        long[] seeds = {11, 12, 13};
        float[] trainer = new LatentGenerator(dit, 3).generate(classes, seeds, new long[3], defaults).values();
        var served = bundle.generation().generate(List.of(SamplingJob.ofPrompt("square", 11, 0),
            SamplingJob.ofPrompt("circle", 12, 0), SamplingJob.ofClass(1, 13, 0)));
        int dim = trainer.length / 3;
        for (int i = 0; i < 3; i++) {
          assertArrayEquals(java.util.Arrays.copyOfRange(trainer, i * dim, (i + 1) * dim), served.get(i).latent(), 1e-4f,
              "image " + i + ": same seed, same latent in trainer and runtime");
          assertTrue(served.get(i).png().length > 50);
        }
      }
    }
  }

  @Test
  void exportCommandWritesOnceAndRefusesToOverwrite(@TempDir Path dir) throws Exception {
    Path run = TinyDiT.train(dir, 4);
    Path cache = TinyTokenizer.nsfwjs().getParent().getParent().getParent();
    Path out = dir.resolve("bundles/tiny");
    String[] args = {"export", "--cache", cache.toString(), "--dit", run.toString(), "--tokenizer",
        TinyTokenizer.checkpoint().toString(), "--out", out.toString(), "--name", "tiny", "--steps", "5"};
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int exit = AlignTokCli.commandLine(new PrintWriter(stdout, true), new PrintWriter(stderr, true)).execute(args);
    assertEquals(0, exit, stderr.toString());
    assertTrue(stdout.toString().contains("dit.onnx"), stdout.toString());
    assertTrue(stdout.toString().contains("generation max abs"), stdout.toString());
    assertTrue(Files.isRegularFile(out.resolve("manifest.json")));

    exit = AlignTokCli.commandLine(new PrintWriter(new StringWriter(), true), new PrintWriter(stderr, true)).execute(args);
    assertEquals(2, exit);
    assertTrue(stderr.toString().contains("already exists"), stderr.toString());

  }
}
