package dev.aligntok.trainer.data;

import dev.aligntok.inference.label.LabelVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * MNIST and Fashion-MNIST as {@link ImageDataset}s: an images idx file [n, h, w] paired with a
 * labels idx file [n]. Pixels stay in the idx array; each sample is a view into it.
 */
public final class IdxDatasets {
  /** The two halves every idx dataset ships: file prefixes "train" and "t10k". */
  public enum Part {
    TRAIN("train"),
    TEST("t10k");

    private final String filePrefix;

    Part(String filePrefix) {
      this.filePrefix = filePrefix;
    }

    public String filePrefix() {
      return filePrefix;
    }
  }

  private IdxDatasets() {}

  /** MNIST from a directory holding {@code train-images-idx3-ubyte} etc. (raw or .gz). */
  public static ImageDataset mnist(Path dir, Part part) {
    return read("mnist-" + part.name().toLowerCase(Locale.ROOT), dir, part, KnownLabels.mnist());
  }

  /** Fashion-MNIST from a directory holding {@code train-images-idx3-ubyte.gz} etc. (raw or .gz). */
  public static ImageDataset fashionMnist(Path dir, Part part) {
    return read("fashion-mnist-" + part.name().toLowerCase(Locale.ROOT), dir, part, KnownLabels.fashionMnist());
  }

  /** The images file of a part, raw or gzipped, or where it was expected. */
  public static Path imagesFile(Path dir, Part part) {
    return existing(dir, part.filePrefix() + "-images-idx3-ubyte");
  }

  public static Path labelsFile(Path dir, Part part) {
    return existing(dir, part.filePrefix() + "-labels-idx1-ubyte");
  }

  static ImageDataset read(String name, Path dir, Part part, LabelVocabulary labels) {
    return read(name, imagesFile(dir, part), labelsFile(dir, part), labels);
  }

  /** Pairs an images file with a labels file; counts must match and labels must be in the vocabulary. */
  public static ImageDataset read(String name, Path imagesFile, Path labelsFile, LabelVocabulary labels) {
    for (Path file : List.of(imagesFile, labelsFile)) {
      if (!Files.isRegularFile(file)) {
        throw new DataException(name + ": missing " + file);
      }
    }
    IdxArray images = IdxReader.read(imagesFile);
    IdxArray labelArray = IdxReader.read(labelsFile);
    int[] dims = images.dims();
    if (dims.length != 3) {
      throw new DataException(imagesFile + ": images must be [count, height, width], header says " + Arrays.toString(dims));
    }
    if (labelArray.dims().length != 1) {
      throw new DataException(labelsFile + ": labels must be [count], header says " + Arrays.toString(labelArray.dims()));
    }
    if (labelArray.count() != images.count()) {
      throw new DataException(name + ": " + images.count() + " images in " + imagesFile + " but "
          + labelArray.count() + " labels in " + labelsFile);
    }
    int height = dims[1];
    int width = dims[2];
    int digits = Integer.toString(images.count() - 1).length();
    List<Sample> samples = new ArrayList<>(images.count());
    for (int i = 0; i < images.count(); i++) {
      int label = labelArray.unsigned(i);
      if (label >= labels.size()) {
        throw new DataException(labelsFile + ": label " + label + " at index " + i + " is outside 0.."
            + (labels.size() - 1));
      }
      String id = name + "/" + String.format("%0" + digits + "d", i);
      List<String> texts = new ArrayList<>();
      texts.add(labels.name(label));
      texts.addAll(labels.synonyms(label));
      samples.add(new Sample(id, id, label, labels.name(label), texts,
          new GreyImage(images.data(), i * height * width, width, height)));
    }
    return new ImageDataset(name, samples, labels, SkippedImagesReport.none(name, images.count()));
  }

  private static Path existing(Path dir, String baseName) {
    Path raw = dir.resolve(baseName);
    Path gz = dir.resolve(baseName + ".gz");
    return Files.exists(raw) || !Files.exists(gz) ? raw : gz;
  }
}
