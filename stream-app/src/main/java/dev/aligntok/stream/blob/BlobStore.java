package dev.aligntok.stream.blob;

import java.net.URI;

/**
 * Where large payloads live outside Kafka (the claim check): input images given by URI, generated
 * images too large to send inline. {@link FileBlobStore} serves {@code file://} URIs under
 * configured roots; an object store (S3, GCS, ...) plugs in by implementing this interface for its
 * scheme. Every refusal or failure is a {@link BlobAccessException} naming the URI and the reason.
 */
public interface BlobStore {
  /**
   * The bytes at {@code uri}, refused before reading when there are more than {@code maxBytes}.
   *
   * @throws BlobAccessException when the URI is not allowed, missing, too large or unreadable
   */
  byte[] read(URI uri, long maxBytes);

  /**
   * Stores {@code bytes} under {@code key} (a relative name such as {@code <id>/0.png}), replacing
   * what was there, so a retried write gives the same URI and content.
   *
   * @return the URI to read it back from
   * @throws BlobAccessException when the store has no writable location or the write fails
   */
  URI write(String key, byte[] bytes);

  /** Whether {@code uri} is allowed here and names an existing blob. */
  boolean exists(URI uri);
}
