package dev.aligntok.trainer.encoders;

import dev.aligntok.inference.image.ImageDecodeException;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.image.Resize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one image file into a square CHW float array in [0, 1] for {@link FeatureDump}, through
 * the shared codec in {@code inference} (alpha onto white, centre crop, resize), so features are
 * computed from exactly the pixels training and serving see.
 */
final class ImageFileInput {
  private ImageFileInput() {}

  static float[] readSquareChw(Path file, int size) throws IOException {
    if (size <= 0) {
      throw new IllegalArgumentException("input size must be positive, got " + size);
    }
    if (!Files.isRegularFile(file)) {
      throw new IOException("no image file at " + file);
    }
    try {
      return ImageTensors.toChw(Resize.toSquare(new ImageDecoder().decodeRgb(file), size), Normalization.ZERO_ONE);
    } catch (ImageDecodeException e) {
      throw new IOException(e.getMessage(), e);
    }
  }
}
