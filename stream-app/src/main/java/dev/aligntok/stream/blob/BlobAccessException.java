package dev.aligntok.stream.blob;

import java.net.URI;

/** A blob that cannot be read or written; the message names the URI (or key) and the rule it broke. */
public final class BlobAccessException extends RuntimeException {
  /** Why the access failed. */
  public enum Reason {
    /** The URI's scheme has no store here (only file:// for now). */
    UNSUPPORTED_SCHEME,
    /** The URI is not absolute, has a host, a query or a fragment, or a key is not a plain relative name. */
    MALFORMED,
    /** The path resolves (after "..", symbolic links) outside every allowed root. */
    OUTSIDE_ALLOWED_ROOTS,
    NOT_FOUND,
    /** A directory or a special file. */
    NOT_A_FILE,
    TOO_LARGE,
    /** The store has no location to write to. */
    NOT_WRITABLE,
    /** The file system failed. */
    IO_ERROR
  }

  private final Reason reason;

  BlobAccessException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  BlobAccessException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  static BlobAccessException of(Reason reason, URI uri, String rule) {
    return new BlobAccessException(reason, "blob " + uri + " refused (" + reason + "): " + rule);
  }

  public Reason reason() {
    return reason;
  }
}
