package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.cli.AlignTokCli;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `aligntok data …` commands, run in-process without network. */
class DataCommandLineTest {
  @TempDir
  Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return AlignTokCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void everyCommandExplainsItself() {
    for (String[] args : new String[][] {{"--help"}, {"data", "--help"}, {"data", "fetch", "--help"},
        {"data", "info", "--help"}, {"data", "preview", "--help"}, {"help", "data"}}) {
      out.getBuffer().setLength(0);
      assertEquals(0, run(args), String.join(" ", args));
      assertTrue(out.toString().startsWith("Usage: aligntok"), out.toString());
    }
    assertTrue(out.toString().contains("fetch") && out.toString().contains("info"), out.toString());
  }

  @Test
  void anUnknownSourceListsTheValidOnes() {
    assertEquals(2, run("data", "fetch", "--only", "apple", "--dry-run"));
    assertTrue(err.toString().contains("unknown source 'apple'; choose from mnist, fashion-mnist, emoji-google"),
        err.toString());
  }

  @Test
  void infoOnAnEmptyCacheSaysWhatToFetch() {
    assertEquals(0, run("data", "info", "--cache", tmp.toString()));
    assertTrue(out.toString().contains("emoji-google   MISSING"), out.toString());
    assertTrue(out.toString().contains("run: aligntok data fetch --only nsfwjs"), out.toString());
    assertTrue(out.toString().contains("7 of 7 sources missing"), out.toString());
  }

  @Test
  void previewOfAMissingDatasetFailsWithTheFetchCommand() {
    assertEquals(1, run("data", "preview", "--dataset", "emoji-google", "--cache", tmp.toString(),
        "--out", tmp.resolve("x.png").toString()));
    assertTrue(err.toString().contains("error: emoji-google is not in the cache"), err.toString());
    assertTrue(err.toString().contains("aligntok data fetch --only emoji-google --cache " + tmp), err.toString());
  }

  @Test
  void previewWritesAContactSheetOfAnImageFolder() throws Exception {
    for (int i = 0; i < 5; i++) {
      TestFiles.png(tmp.resolve("images/" + (i % 2 == 0 ? "even" : "odd") + "/" + i + ".png"),
          TestFiles.solid(6, 4, 0xff000000 | i * 40));
    }
    Path sheet = tmp.resolve("out/sheet.png");
    assertEquals(0, run("data", "preview", "--dataset", tmp.resolve("images").toString(), "--count", "4",
        "--size", "8", "--columns", "2", "--out", sheet.toString()), err.toString());
    BufferedImage image = ImageIO.read(sheet.toFile());
    assertEquals(2 + 2 * (8 + 2), image.getWidth());
    assertEquals(2 + 2 * (8 + 2), image.getHeight());
    assertTrue(out.toString().contains("images: 4 of 5 images at 8x8"), out.toString());
  }
}
