package dev.aligntok.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.encoders.FeatureDump;
import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.MobileNetV2Encoder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aligntok features IMAGE}: one image's feature map from a foundation encoder, for debugging and loader checks. */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Write the feature map of one image from the pretrained MobileNetV2 (nsfwjs@4.4.0) at a chosen "
        + "layer and input size: <out>.f32 (raw little-endian float32, N×C×H×W) and <out>.json (shape, encoder, layer, "
        + "input size). The image is composited onto white, centre-cropped and resized exactly as in training.")
final class FeaturesCommand implements Callable<Integer> {
  @Mixin
  CacheOption cache;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "A PNG or JPEG file.")
  Path image;

  @Option(names = "--layer", defaultValue = MobileNetV2Config.DEFAULT_TAP,
      description = "Keras layer to tap (default: ${DEFAULT-VALUE}; ImageNet weights up to block_10).")
  String layer;

  @Option(names = "--size", defaultValue = "128", description = "Input side in pixels (default: ${DEFAULT-VALUE}).")
  int size;

  @Option(names = {"-o", "--out"}, required = true, paramLabel = "BASE", description = "Output path without extension.")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path nsfwjs = DatasetCatalog.require(cache.resolve(), DataSources.NSFWJS);
    try (NDManager manager = NDManager.newBaseManager()) {
      MobileNetV2Encoder encoder = MobileNetV2Encoder.fromNsfwjs(nsfwjs, new MobileNetV2Config(layer), manager);
      FeatureDump.Result result = new FeatureDump(encoder, manager).run(new FeatureDump.Request(image, size, out));
      System.out.println(encoder.name() + " features " + Arrays.toString(result.shape()) + " → " + result.files().data()
          + " + " + result.files().header());
    }
    return 0;
  }
}
