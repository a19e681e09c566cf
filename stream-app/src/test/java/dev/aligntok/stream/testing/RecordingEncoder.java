package dev.aligntok.stream.testing;

import dev.aligntok.stream.model.BatchEncodeResult;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.LatentEncoderPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes every batch to a real encoder, recording which images each batch held, and can make the
 * next batch fail the way a crashed execution provider would, or every batch holding a given image.
 */
public final class RecordingEncoder implements LatentEncoderPort {
  private final LatentEncoderPort real;
  private final List<List<String>> batches = new ArrayList<>();
  private final Map<String, RuntimeException> poisoned = new HashMap<>();
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
    for (DecodedImage image : images) {
      RuntimeException failure = poisoned.get(image.id());
      if (failure != null) {
        throw failure;
      }
    }
    return real.encode(images);
  }

  public synchronized void failNextBatch(RuntimeException failure) {
    this.nextFailure = failure;
  }

  /** Every batch holding image {@code id} fails with {@code failure}, as an image the model cannot take would. */
  public synchronized void failEveryBatchWith(String id, RuntimeException failure) {
    poisoned.put(id, failure);
  }

  /** Ids of each batch encoded so far, in call order. */
  public synchronized List<List<String>> batches() {
    return List.copyOf(batches);
  }
}
