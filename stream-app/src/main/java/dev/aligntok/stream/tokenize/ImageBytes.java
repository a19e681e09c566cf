package dev.aligntok.stream.tokenize;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.config.MetadataLimits;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The encoded image of a valid ImageEvent: its inline bytes, or the blob its URI names (the claim
 * check), read through the blob store under the same byte limit inline images get from the
 * decoder, so a huge file is refused before it is read.
 */
final class ImageBytes {
  private final Optional<BlobStore> blobs;
  private final long maxBytes;
  private final MetadataLimits metadata;

  /**
   * @param blobs    where URIs are read; empty: URIs are refused
   * @param metadata bounds on the event's metadata
   */
  ImageBytes(Optional<BlobStore> blobs, long maxBytes, MetadataLimits metadata) {
    this.blobs = blobs;
    this.maxBytes = maxBytes;
    this.metadata = metadata;
  }

  /**
   * @throws InvalidInputException when the event is invalid, or names a URI with no blob store configured
   * @throws BlobAccessException   when the blob store refuses or cannot read the URI
   */
  byte[] of(ImageEvent event) {
    ImageEventCheck.validate(event, metadata);
    if (event.getData() != null) {
      return bytes(event.getData());
    }
    if (blobs.isEmpty()) {
      // Without configured roots claim-check images are refused, not ignored.
      throw new InvalidInputException("image " + event.getId() + " is given by uri " + event.getUri()
          + ", but no blob store is configured to read URIs (aligntok.blob.allowed-roots); send the bytes inline");
    }
    return blobs.get().read(uri(event), maxBytes);
  }

  private static URI uri(ImageEvent event) {
    try {
      return new URI(event.getUri());
    } catch (URISyntaxException e) {
      throw new InvalidInputException("image " + event.getId() + " has a malformed uri: " + e.getMessage());
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
