package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.image.ImageDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {
  @TempDir
  Path root;

  @Test
  void subFoldersAreClassesAndBadFilesAreReported() throws Exception {
    TestFiles.png(root.resolve("dog/a.png"), TestFiles.solid(3, 3, 0xff112233));
    TestFiles.write(root.resolve("dog/deeper/b.JPG"), TestFiles.encode(TestFiles.noise(8, 8, 1), "jpeg"));
    TestFiles.png(root.resolve("cat/c.png"), TestFiles.solid(2, 2, 0x00ffffff));
    TestFiles.truncatedPng(root.resolve("cat/truncated.png"));
    TestFiles.write(root.resolve("cat/notes.txt"), "not an image".getBytes());
    TestFiles.write(root.resolve("cat/.DS_Store"), new byte[] {1});
    TestFiles.write(root.resolve("cat/fake.png"), "<html>".getBytes());
    TestFiles.png(root.resolve("loose.png"), TestFiles.solid(2, 2, 0xff000000));

    ImageDataset dataset = ImageFolderDataset.read(root, new ImageDecoder());

    assertEquals(List.of("cat", "dog"), dataset.labels().names());
    assertEquals(List.of("cat/c.png", "dog/a.png", "dog/deeper/b.JPG"), dataset.samples().stream().map(Sample::id).toList());
    assertEquals(List.of(0, 1, 1), dataset.samples().stream().map(Sample::label).toList());
    assertEquals(0xffffff, TestFiles.rgbAt(dataset.samples().get(0).image().loadRgb(), 1, 1)); // transparent → white
    assertEquals(0x112233, TestFiles.rgbAt(dataset.samples().get(1).image().loadRgb(), 0, 0));

    Map<String, SkipReason> skipped = dataset.skipped().entries().stream()
        .collect(Collectors.toMap(SkippedImagesReport.Entry::id, SkippedImagesReport.Entry::reason));
    assertEquals(Map.of(
        "loose.png", SkipReason.OUTSIDE_CLASS_FOLDER,
        "cat/truncated.png", SkipReason.CORRUPT,
        "cat/notes.txt", SkipReason.NOT_AN_IMAGE_FILE,
        "cat/fake.png", SkipReason.UNSUPPORTED_FORMAT), skipped);
    assertEquals(7, dataset.skipped().considered()); // .DS_Store is ignored, not counted
  }

  @Test
  void aFileThatChangesAfterValidationFailsLoudly() throws Exception {
    Path image = TestFiles.png(root.resolve("only/x.png"), TestFiles.solid(2, 2, 0xff000000));
    ImageDataset dataset = ImageFolderDataset.read(root, new ImageDecoder());
    Files.write(image, new byte[] {1, 2, 3});
    DataException error = assertThrows(DataException.class, () -> dataset.samples().get(0).image().loadRgb());
    assertTrue(error.getMessage().contains(image.toString()), error.getMessage());
  }

  @Test
  void aFolderWithoutClassFoldersIsAnError() throws Exception {
    TestFiles.png(root.resolve("a.png"), TestFiles.solid(2, 2, 0xff000000));
    DataException error = assertThrows(DataException.class, () -> ImageFolderDataset.read(root, new ImageDecoder()));
    assertTrue(error.getMessage().contains("no class sub-folders"), error.getMessage());
    assertThrows(DataException.class, () -> ImageFolderDataset.read(root.resolve("missing"), new ImageDecoder()));
  }
}
