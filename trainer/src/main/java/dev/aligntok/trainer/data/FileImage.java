package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.ImageDecodeException;
import dev.aligntok.inference.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** An image file decoded on every load, for folders too large to hold decoded in memory. */
public final class FileImage implements ImageSource {
  private final Path file;
  private final ImageDecoder decoder;

  public FileImage(Path file, ImageDecoder decoder) {
    this.file = file;
    this.decoder = decoder;
  }

  public Path file() {
    return file;
  }

  @Override
  public BufferedImage loadRgb() {
    try {
      return decoder.decodeRgb(file);
    } catch (IOException | ImageDecodeException e) {
      throw new DataException("image " + file + " was readable when the dataset was read but is not now: "
          + e.getMessage(), e);
    }
  }
}
