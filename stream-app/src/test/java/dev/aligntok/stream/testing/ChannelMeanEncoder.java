package dev.aligntok.stream.testing;

import dev.aligntok.stream.model.BatchEncodeResult;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.model.LatentTensor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test double for the ONNX encoder: the latent of an image is its per-channel pixel mean in
 * [0, 1], shape [3, 1, 1] — a real function of the pixels, so tests can check which image each
 * latent came from. Records the ids of every batch; can be told to fail its next batch. To be
 * replaced by the ONNX runtime on a tiny real bundle once that runtime is merged.
 */
public final class ChannelMeanEncoder implements LatentEncoderPort {
  public static final String BUNDLE_ID = "test-bundle-channel-mean";

  private final List<List<String>> batches = new ArrayList<>();
  private RuntimeException nextFailure;

  @Override
  public String bundleId() {
    return BUNDLE_ID;
  }

  @Override
  public synchronized BatchEncodeResult encode(List<DecodedImage> images) {
    batches.add(images.stream().map(DecodedImage::id).toList());
    if (nextFailure != null) {
      RuntimeException failure = nextFailure;
      nextFailure = null;
      throw failure;
    }
    List<LatentTensor> latents = new ArrayList<>();
    for (DecodedImage image : images) {
      latents.add(new LatentTensor(new int[] {3, 1, 1}, channelMeans(image.rgb())));
    }
    return new BatchEncodeResult(latents, Map.of("testEncode", 0.0));
  }

  public static float[] channelMeans(BufferedImage rgb) {
    double[] sums = new double[3];
    for (int y = 0; y < rgb.getHeight(); y++) {
      for (int x = 0; x < rgb.getWidth(); x++) {
        int pixel = rgb.getRGB(x, y);
        sums[0] += (pixel >> 16) & 0xff;
        sums[1] += (pixel >> 8) & 0xff;
        sums[2] += pixel & 0xff;
      }
    }
    double count = (double) rgb.getWidth() * rgb.getHeight() * 255.0;
    return new float[] {(float) (sums[0] / count), (float) (sums[1] / count), (float) (sums[2] / count)};
  }

  public synchronized void failNextBatch(RuntimeException failure) {
    this.nextFailure = failure;
  }

  /** Ids of each batch encoded so far, in call order. */
  public synchronized List<List<String>> batches() {
    return List.copyOf(batches);
  }
}
