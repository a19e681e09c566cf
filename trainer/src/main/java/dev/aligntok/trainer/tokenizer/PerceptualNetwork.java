package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.MobileNetV2Encoder;
import dev.aligntok.trainer.nn.Layers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixed pretrained network of the perceptual loss: its own frozen copies of ImageNet
 * MobileNetV2, tapped at a shallow (stride 4) and a deep (stride 16) layer. It is never the encoder
 * being trained, even when that encoder started from the same weights.
 */
public final class PerceptualNetwork {
  public static final List<String> DEFAULT_TAPS = List.of("block_2_add", "block_10_expand_relu");
  private final List<MobileNetV2Encoder> taps = new ArrayList<>();
  private final int scale;

  public PerceptualNetwork(Path nsfwjsPackage, List<String> tapLayers, int scale, NDManager manager) {
    this.scale = scale;
    for (String tap : tapLayers) {
      MobileNetV2Encoder network = MobileNetV2Encoder.fromNsfwjs(nsfwjsPackage, new MobileNetV2Config(tap), manager);
      network.freezeParameters(true);
      taps.add(network);
    }
  }

  /** Features of images in [-1, 1] (MobileNetV2's own range), one array per tap. */
  public NDList features(ParameterStore store, NDArray imagesMinusOneOne) {
    NDArray input = scale == 1 ? imagesMinusOneOne : Layers.upsampleNearest(imagesMinusOneOne, scale);
    NDList out = new NDList();
    for (MobileNetV2Encoder network : taps) {
      out.add(network.forward(store, new NDList(input), false).singletonOrThrow());
    }
    return out;
  }
}
