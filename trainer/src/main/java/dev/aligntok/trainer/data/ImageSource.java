package dev.aligntok.trainer.data;

import java.awt.image.BufferedImage;

/**
 * Where a sample's pixels come from: held in memory ({@link InMemoryImage}, {@link GreyImage}) or
 * decoded again from a file when needed ({@link FileImage}). Readers check every image once when
 * they read the dataset, so a bad one is reported then, not in the middle of training.
 */
@FunctionalInterface
public interface ImageSource {
  /**
   * The pixels as a {@link BufferedImage#TYPE_INT_RGB} image (alpha already composited onto white).
   *
   * @throws DataException when the pixels can no longer be read (a file changed after validation)
   */
  BufferedImage loadRgb();
}
