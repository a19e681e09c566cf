package dev.aligntok.stream.testing;

import dev.aligntok.stream.model.BatchEncodeResult;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.LatentEncoderPort;
import java.util.ArrayList;
import java.util.List;

/**
 * Passes every batch to a real encoder, recording which images each batch held, and can make the
 * next batch fail the way a crashed execution provider would.
 */
public final class RecordingEncoder implements LatentEncoderPort {
  private final LatentEncoderPort real;
  private final List<List<String>> batches = new ArrayList<>();
  private RuntimeException nextFailure;

  public RecordingEncoder(LatentEncoderPort real) {
    this.real = real;
  }

  @Override
  public String bundleId() {
    return real.bundleId();
  }

  @Override
  public int imageSize() {
    return real.imageSize();
  }

  @Override
  public synchronized BatchEncodeResult encode(List<DecodedImage> images) {
    batches.add(images.stream().map(DecodedImage::id).toList());
    if (nextFailure != null) {
      RuntimeException failure = nextFailure;
      nextFailure = null;
      throw failure;
    }
    return real.encode(images);
  }

  public synchronized void failNextBatch(RuntimeException failure) {
    this.nextFailure = failure;
  }

  /** Ids of each batch encoded so far, in call order. */
  public synchronized List<List<String>> batches() {
    return List.copyOf(batches);
  }
}
