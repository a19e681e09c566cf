package dev.aligntok.export.bundle;

import static dev.aligntok.export.bundle.BundleRuntimeTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageDecodeException;
import dev.aligntok.inference.image.ImageDecodeException.Reason;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** encodeImages: PNG/JPEG bytes → the bundle's preprocessing → encoder; hostile bytes refused before decoding. */
class EncodeImagesTest {
  private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 64, 64, 64 * 64);

  @TempDir static Path tmp;
  static ModelBundle bundle;

  @BeforeAll
  static void load() throws Exception {
    TestBundles.writeTokenizerOnly(tmp.resolve("bundle"));
    bundle = ModelBundle.load(tmp.resolve("bundle"),
        RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1), LIMITS);
  }

  @AfterAll
  static void close() {
    bundle.close();
  }

  @Test
  void pngWithAlphaIsCompositedOnWhiteAndAreaAveragedToTheModelSize() {
    // 16×16 in 2×2 blocks of one colour; the left column of blocks fully transparent.
    BufferedImage argb = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
    float[] expected = new float[3 * 8 * 8];
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        int r = 20 * (x / 2);
        int g = 30 * (y / 2);
        int b = 100;
        boolean transparent = x < 2;
        argb.setRGB(x, y, (transparent ? 0 : 0xff) << 24 | r << 16 | g << 8 | b);
        int at = (y / 2) * 8 + x / 2;
        expected[at] = transparent ? 1f : r / 255f;
        expected[64 + at] = transparent ? 1f : g / 255f;
        expected[128 + at] = transparent ? 1f : b / 255f;
      }
    }
    float[] latents = bundle.tokenizer().encodeImages(List.of(ImageTensors.toPng(argb)));
    assertArrayEquals(TinyModels.encode(expected, 1), latents, 1e-5f);
  }

  @Test
  void alreadyDecodedImagesGetExactlyThePreprocessingOfTheirBytes() {
    // 24×12: centre-cropped to 12×12, then area-averaged to 8×8 (non-integer ratio).
    BufferedImage wide = new BufferedImage(24, 12, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 24; x++) {
        wide.setRGB(x, y, (10 * x) << 16 | (20 * y) << 8 | (x * y) % 256);
      }
    }
    float[] fromBytes = bundle.tokenizer().encodeImages(List.of(ImageTensors.toPng(wide)));
    assertArrayEquals(fromBytes, bundle.tokenizer().encodeRgb(List.of(wide)), 0f);
  }

  @Test
  void jpegAndPngInOneBatch() {
    BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        grey.setRGB(x, y, 0x808080);
      }
    }
    float[] latents = bundle.tokenizer().encodeImages(List.of(jpeg(grey), ImageTensors.toPng(grey)));
    float[] flat = new float[2 * 192];
    Arrays.fill(flat, 128 / 255f);
    // A flat grey JPEG decodes to within a level or two of 128.
    assertArrayEquals(TinyModels.encode(flat, 2), latents, 0.05f);
    assertArrayEquals(Arrays.copyOfRange(TinyModels.encode(flat, 2), 8, 16), Arrays.copyOfRange(latents, 8, 16), 1e-5f);
  }

  @Test
  void headerClaimingTooManyPixelsIsRefusedBeforeDecoding() {
    // A real 1×1 PNG whose header now claims 100,000 × 100,000: decoding would fail as CORRUPT, so
    // TOO_MANY_PIXELS proves the limit was checked first.
    byte[] bomb = withClaimedSize(ImageTensors.toPng(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB)), 100_000, 100_000);
    byte[] fine = ImageTensors.toPng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
    ImageDecodeException e = assertMessage(ImageDecodeException.class, "cannot decode image image 1 (TOO_MANY_PIXELS): header claims 100000x100000",
        () -> bundle.tokenizer().encodeImages(List.of(fine, bomb)));
    assertEquals(Reason.TOO_MANY_PIXELS, e.reason());
  }

  @Test
  void truncatedImageIsRefusedAsCorrupt() {
    byte[] png = ImageTensors.toPng(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
    ImageDecodeException e = assertMessage(ImageDecodeException.class, "image 0 (CORRUPT)",
        () -> bundle.tokenizer().encodeImages(List.of(Arrays.copyOf(png, png.length / 2))));
    assertEquals(Reason.CORRUPT, e.reason());
  }

  @Test
  void bytesThatAreNotAnImageAreRefused() {
    assertMessage(ImageDecodeException.class, "image 0 (UNSUPPORTED_FORMAT)",
        () -> bundle.tokenizer().encodeImages(List.of("II*\0 a TIFF header".getBytes(StandardCharsets.US_ASCII))));
  }

  /** Rewrites IHDR's width and height (bytes 16–23) and its CRC (bytes 29–32, over type and data). */
  private static byte[] withClaimedSize(byte[] png, int width, int height) {
    byte[] out = png.clone();
    ByteBuffer.wrap(out, 16, 8).putInt(width).putInt(height);
    CRC32 crc = new CRC32();
    crc.update(out, 12, 17);
    ByteBuffer.wrap(out, 29, 4).putInt((int) crc.getValue());
    return out;
  }

  private static byte[] jpeg(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "jpeg", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
