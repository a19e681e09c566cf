package dev.aligntok.trainer.latents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aligntok.trainer.cli.AlignTokCli;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aligntok extract-latents}: help, option errors before any work, and a real run. */
class ExtractLatentsCliTest {
  private record Outcome(int exit, String out, String err) {}

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = AlignTokCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  @Test
  void helpNamesEveryOption() {
    Outcome help = run("extract-latents", "--help");
    assertEquals(0, help.exit());
    for (String option : List.of("--run", "--stage", "--checkpoint", "--split", "--out", "--shard-size", "--batch-size",
        "--[no-]flip", "--overwrite", "--dataset", "--seed", "--validation-fraction", "--cache")) {
      assertTrue(help.out().contains(option), option + " missing from:\n" + help.out());
    }
    assertTrue(run("--help").out().contains("extract-latents"), "listed as a top-level command");
  }

  @Test
  void badOptionsFailWithAClearMessageBeforeAnyWork(@TempDir Path emptyCache) {
    // An empty cache: had the command started working, it would fail on the missing weights instead.
    String cache = emptyCache.toString();
    assertUsageError(run("extract-latents", "--cache", cache, "--shard-size", "0"), "--shard-size must be > 0, got 0");
    assertUsageError(run("extract-latents", "--cache", cache, "--batch-size", "-1"), "--batch-size must be > 0");
    assertUsageError(run("extract-latents", "--cache", cache, "--split", "validation"), "--split must be one of");
    assertUsageError(run("extract-latents", "--cache", cache, "--stage", "7"), "unknown stage '7'");
    assertUsageError(run("extract-latents", "--cache", cache, "--stage", "3", "--checkpoint", "x"), "not both");
    assertUsageError(run("extract-latents", "--cache", cache, "--checkpoint", "x"), "also give --out");
    assertUsageError(run("extract-latents", "--cache", cache, "--shard-size", "many"), "--shard-size");
  }

  private static void assertUsageError(Outcome outcome, String message) {
    assertEquals(2, outcome.exit(), outcome.err());
    assertTrue(outcome.err().contains(message), "expected '" + message + "' in:\n" + outcome.err());
    assertTrue(!outcome.err().contains("Exception"), outcome.err());
  }

  @Test
  void extractsAnImageFolderWithARunsStage(@TempDir Path folder, @TempDir Path out) throws Exception {
    Path nsfwjs = TinyTokenizer.nsfwjs();
    Path cacheRoot = nsfwjs.getParent().getParent().getParent();
    assumeTrue(nsfwjs.endsWith(Path.of("npm", "nsfwjs@4.4.0", "package")), "nsfwjs is not inside a cache: " + nsfwjs);
    for (String label : List.of("a", "b")) {
      Path dir = Files.createDirectories(folder.resolve(label));
      for (int i = 0; i < 3; i++) {
        BufferedImage image = new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3 + i, 2 * i, 0xFF8800);
        ImageIO.write(image, "png", dir.resolve(label + i + ".png").toFile());
      }
    }
    Files.writeString(folder.resolve("b").resolve("broken.png"), "not a png");
    String[] args = {"extract-latents", "--cache", cacheRoot.toString(), "--run", TinyTokenizer.run().toString(),
        "--stage", "1", "--dataset", folder.toString(), "--split", "all", "--out", out.toString(), "--shard-size", "4",
        "--batch-size", "3", "--no-flip"};

    Outcome first = run(args);
    assertEquals(0, first.exit(), first.err());
    LatentSet set = LatentSet.read(out);
    assertEquals(6, set.count());
    assertNull(set.flippedLatents(), "--no-flip");
    assertEquals(List.of("a", "b"), set.labelNames());
    assertEquals("a/a0.png", set.sourceId(0));
    assertEquals("stage1", set.index().extraction().tokenizer().stage());
    assertEquals(1, set.index().skipped().whileReadingDataset(), "the reader's skip is listed");

    assertEquals(0, run(args).exit(), "a rerun verifies and keeps everything");
    args[args.length - 4] = "2";
    Outcome mismatch = run(args);
    assertEquals(AlignTokCli.EXIT_FAILURE, mismatch.exit());
    assertTrue(mismatch.err().contains("shardSize: 4 -> 2") && mismatch.err().contains("--overwrite"), mismatch.err());
  }
}
