package dev.aligntok.inference.image;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO stream over encoded bytes that gives up once a reader keeps reading past their end,
 * for twelvemonkeys' WebP reader. Its lossless (VP8L) bit reader catches the end-of-file error at
 * every refill and carries on with zeros, so a damaged 150-byte file ran for 23 s (thousands of
 * Huffman tables built from zeros) before "decoding". A valid file overruns too — a solid-colour
 * image's zero-bit codes read past the end about once per two pixels — so the allowance is
 * {@link #BASE_ALLOWANCE} plus the image's pixel count (see {@link #allow}): the work past the end
 * stays proportional to the pixels the limits allow, and beyond it this stream throws the unchecked
 * {@link PastEndException}, which that catch does not swallow.
 */
final class PastEndGuard extends ImageInputStreamImpl {
  /** Reads past the end allowed before the image's size is known, and on top of its pixel count. */
  static final long BASE_ALLOWANCE = 4096;

  private final byte[] data;
  private long allowance = BASE_ALLOWANCE;
  private long readsPastEnd;

  PastEndGuard(byte[] data) {
    this.data = data;
  }

  /** Allows {@link #BASE_ALLOWANCE} + {@code pixels} reads past the end (the header's width × height). */
  void allow(long pixels) {
    allowance = BASE_ALLOWANCE + pixels;
  }

  @Override
  public int read() {
    bitOffset = 0;
    if (streamPos >= data.length) {
      pastEnd();
      return -1;
    }
    return data[(int) streamPos++] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) {
    bitOffset = 0;
    if (length == 0) {
      return 0;
    }
    if (streamPos >= data.length) {
      pastEnd();
      return -1;
    }
    int count = (int) Math.min(length, data.length - streamPos);
    System.arraycopy(data, (int) streamPos, target, offset, count);
    streamPos += count;
    return count;
  }

  @Override
  public long length() {
    return data.length;
  }

  private void pastEnd() {
    if (++readsPastEnd > allowance) {
      throw new PastEndException("the decoder read past the end of the " + data.length + "-byte image "
          + allowance + " times: its data is cut short or damaged");
    }
  }

  /** Thrown through a reader that keeps reading past the end; ImageDecoder reports it as CORRUPT. */
  static final class PastEndException extends RuntimeException {
    PastEndException(String message) {
      super(message);
    }
  }
}
