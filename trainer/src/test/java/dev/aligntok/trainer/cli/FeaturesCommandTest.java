package dev.aligntok.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesCommandTest {
  @Test
  void writesTheFeatureMapAndItsShape(@TempDir Path dir) throws Exception {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    Path cache = nsfwjs.getParent().getParent().getParent();
    BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(5, 5, 0xFFFF0000);
    Path png = dir.resolve("in.png");
    ImageIO.write(image, "png", png.toFile());
    StringWriter err = new StringWriter();
    int exit = AlignTokCli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
        .execute("features", png.toString(), "--size", "64", "--out", dir.resolve("f").toString(), "--cache", cache.toString());
    assertEquals(0, exit, err.toString());
    JsonNode header = new ObjectMapper().readTree(dir.resolve("f.json").toFile());
    assertEquals("[1,384,4,4]", header.get("shape").toString());
    assertEquals(4L * 384 * 4 * 4, Files.size(dir.resolve("f.f32")));
    assertTrue(header.get("encoder").asText().contains("block_10_expand_relu"));
  }
}
