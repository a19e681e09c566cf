package dev.aligntok.trainer.captions;

import java.util.List;

/**
 * The training captions of one image.
 *
 * @param imageId the sample id (the emoji's code points, {@code 1F44B-1F3FB})
 * @param className its class, the subcategory the class-conditional DiT uses
 * @param captions indices into {@link CaptionSet#trainingCaptions()}, at least two
 */
public record ImageCaptions(String imageId, String className, List<Integer> captions) {
  public ImageCaptions {
    captions = List.copyOf(captions);
    if (captions.size() < 2) {
      throw new IllegalArgumentException("image " + imageId + " needs at least two captions, got " + captions.size());
    }
  }
}
