package dev.aligntok.trainer.data;

import dev.aligntok.inference.image.ImageDecodeException;

/** Why a reader left an image out of a dataset. */
public enum SkipReason {
  /** The metadata names an image file that does not exist. */
  MISSING_FILE,
  /** The file exists but cannot be read (permissions, I/O error). */
  UNREADABLE_FILE,
  /** The metadata entry itself is unusable (a required field is missing). */
  BAD_METADATA,
  /** The emoji set has no image for this vendor ({@code has_img_<vendor>} is false). */
  NO_VENDOR_IMAGE,
  /** A file in a class folder without an image extension (.png, .jpg, .jpeg). */
  NOT_AN_IMAGE_FILE,
  /** A file in the dataset root rather than in a class sub-folder. */
  OUTSIDE_CLASS_FOLDER,
  // The decoder's own reasons, one for one.
  EMPTY,
  TOO_LARGE_BYTES,
  TOO_MANY_PIXELS,
  ZERO_SIZE,
  UNSUPPORTED_FORMAT,
  CORRUPT;

  public static SkipReason of(ImageDecodeException.Reason reason) {
    return valueOf(reason.name());
  }
}
