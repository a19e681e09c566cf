package dev.aligntok.trainer.cli;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Resize;
import dev.aligntok.trainer.data.ContactSheet;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.ImageDataset;
import dev.aligntok.trainer.data.Sample;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok data preview}: a contact sheet of a dataset, exactly as the model will see it. */
@Command(name = "preview",
    mixinStandardHelpOptions = true,
    description = {
        "Write a PNG contact sheet of images evenly spread over a dataset, after the same preprocessing"
            + " training and serving use (alpha composited onto white, centre crop, resize).",
        "Datasets: mnist-train, mnist-test, fashion-mnist-train, fashion-mnist-test, emoji-google,"
            + " emoji-twitter, or a folder with one sub-folder per class."})
final class DataPreviewCommand implements Callable<Integer> {
  @Mixin
  CacheOption cacheOption;

  @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "Dataset name or image folder.")
  String dataset;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "PNG file to write.")
  Path out;

  @Option(names = "--count", defaultValue = "64", description = "Images on the sheet (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--size", defaultValue = "64", description = "Tile side in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = "--columns", defaultValue = "8", description = "Tiles per row (default: ${DEFAULT-VALUE}).")
  int columns;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (count <= 0 || size <= 0 || columns <= 0) {
      throw new IllegalArgumentException("--count, --size and --columns must be positive");
    }
    PrintWriter printer = spec.commandLine().getOut();
    ImageDataset images = DatasetCatalog.open(dataset, cacheOption.resolve(), LabelLevel.SUBCATEGORY, new ImageDecoder());
    if (images.size() == 0) {
      throw new IllegalArgumentException("dataset " + images.name() + " has no readable images; "
          + images.skipped().summary());
    }
    int shown = Math.min(count, images.size());
    List<BufferedImage> tiles = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < shown; i++) {
      // Evenly spread, so the sheet covers every region of the (sorted) dataset.
      Sample sample = images.samples().get((int) ((long) i * images.size() / shown));
      tiles.add(Resize.toSquare(sample.image().loadRgb(), size));
      labels.add(sample.labelName());
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(out, ImageTensors.toPng(ContactSheet.of(tiles, columns)));
    printer.printf("%s: %d of %d images at %dx%d -> %s%n", images.name(), shown, images.size(), size, size, out);
    printer.printf("labels, row by row: %s%n", String.join(", ", labels));
    printer.println(images.skipped().summary());
    printer.flush();
    return 0;
  }
}
