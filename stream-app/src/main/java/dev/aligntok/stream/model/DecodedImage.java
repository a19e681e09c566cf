package dev.aligntok.stream.model;

import java.awt.image.BufferedImage;

/**
 * An image that passed the limits and decoded to 8-bit RGB on white ({@link BufferedImage#TYPE_INT_RGB},
 * as {@code ImageDecoder} produces), usually already reduced to the encoder's square input
 * ({@code ImageDecoder.decodeSquare}) so a batch never holds full-size images. Any remaining
 * resizing and the normalisation belong to the bundle's preprocessing.
 *
 * @param id  the ImageEvent's id
 * @param rgb the pixels
 */
public record DecodedImage(String id, BufferedImage rgb) {
  public DecodedImage {
    if (id == null || rgb == null) {
      throw new IllegalArgumentException("a decoded image needs an id and pixels");
    }
    if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
      throw new IllegalArgumentException("image " + id + " must be TYPE_INT_RGB, got type " + rgb.getType());
    }
  }
}
