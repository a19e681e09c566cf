package dev.aligntok.stream.service.http;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.service.config.ConfiguredBlobStore;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;

/**
 * The PNG of a GeneratedImage as an HTTP response: inline bytes as they are; a file:// URI (an
 * image above the blob threshold) read through the blob store, since a redirect to a file URI is
 * useless to an HTTP client; an http(s) URI as a 303 redirect.
 */
@Singleton
final class StoredImages {
  /** This service's PNGs are a few MB at most; the bound only keeps a replaced file from filling the heap. */
  static final long MAX_BYTES = 256L << 20;

  private final Optional<BlobStore> blobs;

  StoredImages(ConfiguredBlobStore blobs) {
    this.blobs = blobs.get();
  }

  MutableHttpResponse<?> response(GeneratedImage image) {
    ByteBuffer png = image.getPng();
    if (png != null) {
      return png(bytes(png));
    }
    String what = "image " + image.getIndex() + " of request " + image.getRequestId();
    URI uri = URI.create(image.getUri());
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("http") || scheme.equals("https")) {
      return HttpResponse.seeOther(uri);
    }
    if (blobs.isEmpty()) {
      return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR).body(ErrorBody.of(what + " is stored at " + uri
          + ", but this instance has no blob store to read it (aligntok.blob.output-root)"));
    }
    try {
      return png(blobs.get().read(uri, MAX_BYTES));
    } catch (BlobAccessException e) {
      HttpStatus status = e.reason() == BlobAccessException.Reason.NOT_FOUND ? HttpStatus.NOT_FOUND
          : HttpStatus.INTERNAL_SERVER_ERROR;
      return HttpResponse.status(status).body(ErrorBody.of(what + " cannot be served: " + e.getMessage()));
    }
  }

  private static MutableHttpResponse<?> png(byte[] bytes) {
    return HttpResponse.ok(bytes).contentType(MediaType.IMAGE_PNG_TYPE);
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }
}
