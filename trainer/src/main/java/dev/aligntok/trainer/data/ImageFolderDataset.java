package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.ImageDecodeException;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.label.LabelVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Users' own images: {@code root/<class>/<anything>/<image>.png|jpg|jpeg}, one sub-folder per class.
 *
 * <p>Classes are the sub-folders sorted by name (label id = position). Every image is decoded once
 * to validate it, then read again from disk when a batch needs it (folders may be far larger than
 * memory). Skipped and listed: files that fail to decode, files without an image extension, files
 * directly in the root. Ignored: hidden files and folders (names starting with '.'), such as
 * {@code .DS_Store}.
 */
public final class ImageFolderDataset {
  private static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg");

  private ImageFolderDataset() {}

  public static ImageDataset read(Path root, ImageDecoder decoder) {
    if (!Files.isDirectory(root)) {
      throw new DataException("image folder " + root + " does not exist or is not a directory");
    }
    String name = root.toAbsolutePath().normalize().getFileName() == null
        ? "images" : root.toAbsolutePath().normalize().getFileName().toString();
    SkippedImagesReport.Builder report = SkippedImagesReport.builder(name);
    List<Path> classDirs = new ArrayList<>();
    for (Path child : list(root)) {
      if (Files.isDirectory(child)) {
        classDirs.add(child);
      } else {
        report.considered().skip(relative(root, child), child.toString(), SkipReason.OUTSIDE_CLASS_FOLDER,
            "files must be inside a class sub-folder (" + root + "/<class>/...)");
      }
    }
    if (classDirs.isEmpty()) {
      throw new DataException("image folder " + root + " has no class sub-folders; expected "
          + root + "/<class name>/<image>.png (or .jpg)");
    }

    LabelVocabulary.Builder vocabulary = LabelVocabulary.builder();
    classDirs.forEach(dir -> vocabulary.add(dir.getFileName().toString()));
    LabelVocabulary labels = vocabulary.build();

    List<Sample> samples = new ArrayList<>();
    for (int label = 0; label < classDirs.size(); label++) {
      String className = labels.name(label);
      for (Path file : imageFilesUnder(classDirs.get(label))) {
        String id = relative(root, file);
        report.considered();
        if (!IMAGE_EXTENSIONS.contains(extension(file))) {
          report.skip(id, file.toString(), SkipReason.NOT_AN_IMAGE_FILE, "extension is not .png, .jpg or .jpeg");
          continue;
        }
        try {
          decoder.decodeRgb(file);
        } catch (IOException e) {
          report.skip(id, file.toString(), SkipReason.UNREADABLE_FILE, e.toString());
          continue;
        } catch (ImageDecodeException e) {
          report.skip(id, file.toString(), SkipReason.of(e.reason()), e.getMessage());
          continue;
        }
        samples.add(new Sample(id, id, label, className, List.of(className), new FileImage(file, decoder)));
      }
    }
    return new ImageDataset(name, samples, labels, report.build());
  }

  /** Regular files below a class folder, hidden ones excluded, in path order. */
  private static List<Path> imageFilesUnder(Path classDir) {
    try (Stream<Path> walk = Files.walk(classDir)) {
      return walk.filter(Files::isRegularFile)
          .filter(path -> !isHidden(classDir.relativize(path)))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new DataException("cannot list " + classDir + ": " + e.getMessage(), e);
    }
  }

  private static List<Path> list(Path dir) {
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(path -> !path.getFileName().toString().startsWith(".")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new DataException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private static String extension(Path file) {
    String fileName = file.getFileName().toString();
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
