package dev.aligntok.stream.runtime;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.stream.model.BatchEncodeResult;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.model.LatentTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The tokenize topology's encoder: the leased bundle's TokenizerRuntime, its preprocessing included. */
final class BundleEncoder implements LatentEncoderPort {
  private final BundleSlot slot;

  BundleEncoder(BundleSlot slot) {
    this.slot = slot;
  }

  @Override
  public String bundleId() {
    return slot.peek().id();
  }

  @Override
  public int imageSize() {
    return slot.peek().tokenizer().imageSize();
  }

  @Override
  public BatchEncodeResult encode(List<DecodedImage> images) {
    try (BundleSlot.Lease lease = slot.lease()) {
      ModelBundle bundle = lease.bundle();
      float[] raw = bundle.tokenizer().encodeRgb(images.stream().map(DecodedImage::rgb).toList());
      Latent latent = bundle.tokenizer().latent();
      int[] shape = {latent.channels(), latent.height(), latent.width()};
      List<LatentTensor> latents = new ArrayList<>(images.size());
      for (int i = 0; i < images.size(); i++) {
        latents.add(new LatentTensor(shape, Arrays.copyOfRange(raw, i * latent.size(), (i + 1) * latent.size())));
      }
      return new BatchEncodeResult(bundle.id(), latents, Map.of());
    }
  }
}
