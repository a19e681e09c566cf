package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.trainer.data.IdxDatasets.Part;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir
  Path dir;

  private static final byte[] TWO_IMAGES = {0, 10, (byte) 200, (byte) 255, 1, 2, 3, 4, 5, 6, 7, 8};

  @Test
  void readsRawAndGzippedFilesAlike() throws Exception {
    Path raw = TestFiles.idx(dir.resolve("images-idx3-ubyte"), new int[] {2, 2, 3}, TWO_IMAGES);
    Path gz = TestFiles.idx(dir.resolve("images-idx3-ubyte.gz"), new int[] {2, 2, 3}, TWO_IMAGES);
    for (Path file : List.of(raw, gz)) {
      IdxArray array = IdxReader.read(file);
      assertArrayEquals(new int[] {2, 2, 3}, array.dims(), file.toString());
      assertArrayEquals(TWO_IMAGES, array.data());
      assertEquals(2, array.count());
      assertEquals(6, array.itemSize());
      assertEquals(200, array.unsigned(2));
      assertArrayEquals(new int[] {2, 2, 3}, IdxReader.readHeader(file).dims());
    }
  }

  @Test
  void headerProblemsAreNamed() throws Exception {
    assertMessage(TestFiles.write(dir.resolve("magic"), new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 0}), "not an idx header");
    assertMessage(TestFiles.write(dir.resolve("float"), new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0}),
        "element type 0x0d is not supported");
    assertMessage(TestFiles.write(dir.resolve("rank0"), new byte[] {0, 0, 8, 0}), "0 dimensions declared");
    assertMessage(TestFiles.idx(dir.resolve("zero-dim"), new int[] {2, 0}, new byte[0]), "dimension 1 is 0");
    assertMessage(TestFiles.write(dir.resolve("short"), new byte[] {0, 0}), "shorter than an idx header");
  }

  @Test
  void declaredSizeMustMatchTheDataBeforeAnythingIsAllocated() throws Exception {
    Path truncated = TestFiles.idx(dir.resolve("truncated"), new int[] {2, 2, 3}, Arrays.copyOf(TWO_IMAGES, 7));
    assertMessage(truncated, "holds 23 bytes");
    Path padded = TestFiles.idx(dir.resolve("padded"), new int[] {1, 2, 3}, TWO_IMAGES);
    assertMessage(padded, "truncated, padded or not an idx file");
    // A header claiming ~2 GB in a 20-byte gzip file is refused from the gzip trailer, not by trying.
    Path bomb = TestFiles.idx(dir.resolve("bomb.gz"), new int[] {40_000, 200, 200}, new byte[8]);
    assertMessage(bomb, "uncompressed file holds");
  }

  @Test
  void pairsImagesWithLabelsAsGreyRgbSamples() throws Exception {
    TestFiles.idx(dir.resolve("train-images-idx3-ubyte.gz"), new int[] {2, 2, 3}, TWO_IMAGES);
    TestFiles.idx(dir.resolve("train-labels-idx1-ubyte.gz"), new int[] {2}, new byte[] {9, 0});
    ImageDataset dataset = IdxDatasets.fashionMnist(dir, Part.TRAIN);

    assertEquals("fashion-mnist-train", dataset.name());
    assertEquals(2, dataset.size());
    Sample first = dataset.samples().get(0);
    assertEquals("fashion-mnist-train/0", first.id());
    assertEquals(9, first.label());
    assertEquals("Ankle boot", first.labelName());
    assertTrue(first.texts().contains("boots"), first.texts().toString());
    BufferedImage image = first.image().loadRgb();
    assertEquals(3, image.getWidth());
    assertEquals(2, image.getHeight());
    assertEquals(0x0a0a0a, TestFiles.rgbAt(image, 1, 0));
    assertEquals(0xffffff, TestFiles.rgbAt(image, 0, 1));
    assertEquals(0x080808, TestFiles.rgbAt(dataset.samples().get(1).image().loadRgb(), 2, 1));
    assertEquals(0, dataset.skipped().skippedCount());
    assertEquals(2, dataset.skipped().considered());
  }

  @Test
  void inconsistentPairsAreRefused() throws Exception {
    Path images = TestFiles.idx(dir.resolve("i"), new int[] {2, 2, 3}, TWO_IMAGES);
    Path threeLabels = TestFiles.idx(dir.resolve("l3"), new int[] {3}, new byte[] {1, 2, 3});
    Path badLabel = TestFiles.idx(dir.resolve("lbad"), new int[] {2}, new byte[] {1, 10});
    LabelVocabulary digits = KnownLabels.mnist();

    DataException count = assertThrows(DataException.class, () -> IdxDatasets.read("x", images, threeLabels, digits));
    assertTrue(count.getMessage().contains("2 images") && count.getMessage().contains("3 labels"), count.getMessage());
    DataException label = assertThrows(DataException.class, () -> IdxDatasets.read("x", images, badLabel, digits));
    assertTrue(label.getMessage().contains("label 10 at index 1"), label.getMessage());
    DataException missing = assertThrows(DataException.class, () -> IdxDatasets.mnist(dir.resolve("nowhere"), Part.TEST));
    assertTrue(missing.getMessage().contains("t10k-images-idx3-ubyte"), missing.getMessage());
  }

  @Test
  void knownVocabulariesResolvePromptWords() {
    assertEquals(7, KnownLabels.mnist().id("seven"));
    assertEquals(0, KnownLabels.fashionMnist().id("tshirt"));
    assertEquals(1, KnownLabels.fashionMnist().id("Pants"));
    assertEquals(10, KnownLabels.fashionMnist().size());
  }

  private static void assertMessage(Path file, String expected) {
    DataException error = assertThrows(DataException.class, () -> IdxReader.read(file));
    assertTrue(error.getMessage().contains(expected), error.getMessage());
    assertTrue(error.getMessage().contains(file.getFileName().toString()), error.getMessage());
    assertTrue(Files.exists(file));
  }
}
