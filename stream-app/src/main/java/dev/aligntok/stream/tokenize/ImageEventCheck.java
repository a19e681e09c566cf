package dev.aligntok.stream.tokenize;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.stream.batch.InvalidInputException;
import java.nio.ByteBuffer;

/** What an ImageEvent must satisfy before its image is looked at. */
final class ImageEventCheck {
  /** Ids become keys of output records; a bound keeps a hostile id from bloating them. */
  static final int MAX_ID_LENGTH = 256;

  private ImageEventCheck() {}

  /** The inline image bytes of a valid event. */
  static byte[] inlineBytes(ImageEvent event) {
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
    if (hasUri) {
      // Claim-check images need a blob store; until one is wired in they are refused, not ignored.
      throw new InvalidInputException("image " + id + " is given by uri " + event.getUri()
          + ", but no blob store is configured to read URIs; send the bytes inline");
    }
    return bytes(event.getData());
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
