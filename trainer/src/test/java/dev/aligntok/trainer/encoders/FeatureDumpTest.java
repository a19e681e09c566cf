package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureDumpTest {
  @TempDir
  Path dir;

  @Test
  void writesFeaturesAndHeader() throws IOException {
    Path png = writePng(80, 60, 0xFF3366CC);
    try (NDManager manager = NDManager.newBaseManager()) {
      MobileNetV2Encoder encoder = MobileNetV2Encoder.untrained(MobileNetV2Config.defaults());
      encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
      FeatureDump.Result result = new FeatureDump(encoder, manager).run(new FeatureDump.Request(png, 64, dir.resolve("out/features")));

      assertArrayEquals(new long[] {1, 384, 4, 4}, result.shape());
      assertEquals(dir.resolve("out/features.f32"), result.files().data());
      Float32Files.Loaded loaded = Float32Files.read(result.files().header());
      assertArrayEquals(result.shape(), loaded.shape());
      assertEquals("NCHW", loaded.header().get("layout").asText());
      assertEquals("mobilenet_v2@block_10_expand_relu", loaded.header().get("encoder").asText());
      assertEquals(16, loaded.header().get("stride").asInt());
      assertEquals(64, loaded.header().get("inputSize").asInt());
      assertEquals(384 * 16 * 4, Files.size(result.files().data()));
    }
  }

  @Test
  void transparentPixelsBecomeWhiteAndCropIsCentred() throws IOException {
    BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_INT_ARGB); // all transparent
    image.setRGB(0, 0, 0xFF000000); // opaque black, left of the centre square: cropped away
    image.setRGB(2, 1, 0xFF000000); // opaque black inside the square
    Path png = dir.resolve("a.png");
    ImageIO.write(image, "png", png.toFile());
    float[] chw = ImageFileInput.readSquareChw(png, 4);
    assertEquals(3 * 16, chw.length);
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 16; i++) {
        float expected = i == 5 ? 0f : 1f; // square (x 2−1, y 1) = index 1·4 + 1
        assertEquals(expected, chw[c * 16 + i], 1e-6f, "channel " + c + " pixel " + i);
      }
    }
  }

  @Test
  void unreadableFilesAreNamed() throws IOException {
    Path text = Files.writeString(dir.resolve("not-an-image.png"), "hello");
    IOException e = assertThrows(IOException.class, () -> ImageFileInput.readSquareChw(text, 32));
    assertTrue(e.getMessage().contains("not-an-image.png"), e.getMessage());
  }

  private Path writePng(int width, int height, int argb) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x + y) % 2 == 0 ? argb : 0x00000000);
      }
    }
    Path png = dir.resolve("image.png");
    ImageIO.write(image, "png", png.toFile());
    return png;
  }
}
