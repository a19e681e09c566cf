package dev.aligntok.stream.tokenize;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.config.MetadataLimits;

/** What an ImageEvent must satisfy before its image is looked at. */
final class ImageEventCheck {
  /** Ids become keys of output records; a bound keeps a hostile id from bloating them. */
  static final int MAX_ID_LENGTH = 256;

  private ImageEventCheck() {}

  /**
   * @throws InvalidInputException for a blank or overlong id, not exactly one of data and uri, or
   *     metadata beyond {@code metadata} (it is copied onto the LatentEvent)
   */
  static void validate(ImageEvent event, MetadataLimits metadata) {
    String id = event.getId();
    if (id == null || id.isBlank()) {
      throw new InvalidInputException("image event has a blank id");
    }
    if (id.length() > MAX_ID_LENGTH) {
      throw new InvalidInputException("image id of " + id.length() + " characters exceeds " + MAX_ID_LENGTH);
    }
    boolean hasData = event.getData() != null;
    boolean hasUri = event.getUri() != null;
    if (hasData == hasUri) {
      throw new InvalidInputException("image " + id + " must set exactly one of data and uri, "
          + (hasData ? "both are set" : "neither is set"));
    }
    metadata.problem(event.getMetadata()).ifPresent(problem -> {
      throw new InvalidInputException("image " + id + " metadata " + problem);
    });
  }
}
