package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.ConvBn;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Layer;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Pad;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Relu6;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Stage;
import dev.aligntok.trainer.encoders.MobileNetV2Architecture.Truncated;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Maps a Keras MobileNetV2 stored as a TF.js layers model onto the DJL port: checks every used
 * layer's class, config and wiring against {@link MobileNetV2Architecture} (so a different model
 * fails naming the first differing layer instead of producing wrong features), folds each
 * BatchNorm into its convolution and hands the result to the {@link Conv2dLayer}s.
 */
final class MobileNetV2Weights {
  private MobileNetV2Weights() {}

  static void assign(TfjsLayersModel model, Truncated network, Map<String, Conv2dLayer> convs, NDManager manager) {
    String previous = null; // the Keras layer whose output feeds the next layer; null = the model input
    for (Stage stage : network.stages()) {
      String stageInput = previous;
      for (Layer layer : stage.layers()) {
        if (layer instanceof Pad pad) {
          checkPad(model, pad, previous);
        } else if (layer instanceof Relu6 relu) {
          checkRelu6(model, relu, previous);
        } else if (layer instanceof ConvBn conv) {
          BatchNormFolding.Folded folded = foldedWeights(model, conv, previous);
          convs.get(conv.convName()).setWeights(
              manager.create(folded.weight(), conv.convSpec().weightShape()),
              manager.create(folded.bias(), new Shape(conv.outChannels())));
        }
        previous = layer.outputName();
      }
      if (stage.residual()) {
        KerasLayer add = model.layer(stage.addName()).requireClass("Add");
        if (add.inbound().size() != 2 || !add.inbound().contains(stageInput) || !add.inbound().contains(previous)) {
          throw add.mismatch("adds " + add.inbound() + ", expected " + stageInput + " and " + previous);
        }
        previous = stage.addName();
      }
    }
  }

  private static void checkPad(TfjsLayersModel model, Pad pad, String previous) {
    KerasLayer layer = inputOf(model, model.layer(pad.name()).requireClass("ZeroPadding2D"), previous);
    requireChannelsLast(layer);
    int[] padding = layer.ints("padding");
    int[] expected = {pad.top(), pad.bottom(), pad.left(), pad.right()};
    if (!Arrays.equals(padding, expected)) {
      throw layer.mismatch("pads (top, bottom, left, right) " + Arrays.toString(padding) + ", expected " + Arrays.toString(expected));
    }
  }

  private static void checkRelu6(TfjsLayersModel model, Relu6 relu, String previous) {
    KerasLayer layer = inputOf(model, model.layer(relu.name()).requireClass("ReLU"), previous);
    if (layer.number("max_value", Double.NaN) != Relu6Layer.CAP || layer.number("negative_slope", 0) != 0
        || layer.number("threshold", 0) != 0) {
      throw layer.mismatch("is not ReLU6 (max_value 6, negative_slope 0, threshold 0): " + layer.config());
    }
  }

  private static BatchNormFolding.Folded foldedWeights(TfjsLayersModel model, ConvBn conv, String previous) {
    KerasLayer convLayer = inputOf(model, model.layer(conv.convName()).requireClass(conv.depthwise() ? "DepthwiseConv2D" : "Conv2D"), previous);
    checkConvConfig(convLayer, conv);
    FloatTensor kernel;
    float[] weight;
    if (conv.depthwise()) {
      kernel = model.weight(conv.convName() + "/depthwise_kernel").requireShape(conv.kernel(), conv.kernel(), conv.inChannels(), 1);
      weight = KerasKernels.depthwiseToOihw(kernel);
    } else {
      kernel = model.weight(conv.convName() + "/kernel").requireShape(conv.kernel(), conv.kernel(), conv.inChannels(), conv.outChannels());
      weight = KerasKernels.conv2dToOihw(kernel);
    }
    float[] bias = convLayer.flag("use_bias", true)
        ? model.weight(conv.convName() + "/bias").requireShape(conv.outChannels()).values()
        : null;
    return BatchNormFolding.fold(weight, bias, batchNorm(model, conv));
  }

  private static void checkConvConfig(KerasLayer layer, ConvBn conv) {
    requireChannelsLast(layer);
    requirePair(layer, "kernel_size", conv.kernel());
    requirePair(layer, "strides", conv.stride());
    if (layer.config().has("dilation_rate")) {
      requirePair(layer, "dilation_rate", 1);
    }
    String activation = layer.config().path("activation").asText("linear");
    if (!activation.equals("linear")) {
      throw layer.mismatch("has activation " + activation + ", expected linear (the ReLU6 is a separate layer)");
    }
    if (conv.depthwise()) {
      if (layer.number("depth_multiplier", 1) != 1) {
        throw layer.mismatch("has depth_multiplier " + layer.number("depth_multiplier") + ", expected 1");
      }
    } else if (layer.number("filters") != conv.outChannels()) {
      throw layer.mismatch("has " + (int) layer.number("filters") + " filters, expected " + conv.outChannels());
    }
    int padding = convPadding(layer, conv);
    if (padding != conv.padding()) {
      throw layer.mismatch("pads by " + padding + ", expected " + conv.padding());
    }
  }

  // TF "same" equals symmetric (k−1)/2 padding only for stride 1 and odd k; "valid" is none.
  private static int convPadding(KerasLayer layer, ConvBn conv) {
    String mode = layer.text("padding");
    if (mode.equals("valid")) {
      return 0;
    }
    if (mode.equals("same") && conv.stride() == 1 && conv.kernel() % 2 == 1) {
      return (conv.kernel() - 1) / 2;
    }
    throw layer.mismatch("has padding '" + mode + "' with stride " + conv.stride() + ", which depends on the input size (unsupported)");
  }

  private static BatchNormFolding.BatchNorm batchNorm(TfjsLayersModel model, ConvBn conv) {
    KerasLayer layer = inputOf(model, model.layer(conv.bnName()).requireClass("BatchNormalization"), conv.convName());
    double axis = layer.number("axis", -1);
    if (axis != -1 && axis != 3) {
      throw layer.mismatch("normalises axis " + axis + ", expected the channel axis (-1 or 3)");
    }
    int n = conv.outChannels();
    String prefix = conv.bnName() + "/";
    float[] ones = new float[n];
    Arrays.fill(ones, 1f);
    float[] gamma = layer.flag("scale", true) ? model.weight(prefix + "gamma").requireShape(n).values() : ones;
    float[] beta = layer.flag("center", true) ? model.weight(prefix + "beta").requireShape(n).values() : new float[n];
    return new BatchNormFolding.BatchNorm(gamma, beta,
        model.weight(prefix + "moving_mean").requireShape(n).values(),
        model.weight(prefix + "moving_variance").requireShape(n).values(),
        layer.number("epsilon", 1e-3));
  }

  /** Checks that {@code layer} reads exactly {@code previous} (or the model's input when null). */
  private static KerasLayer inputOf(TfjsLayersModel model, KerasLayer layer, String previous) {
    List<String> inbound = layer.inbound();
    boolean ok = inbound.size() == 1 && (previous == null
        ? model.layer(inbound.get(0)).className().equals("InputLayer")
        : inbound.get(0).equals(previous));
    if (!ok) {
      throw layer.mismatch("reads " + inbound + ", expected " + (previous == null ? "the model input" : previous));
    }
    return layer;
  }

  private static void requireChannelsLast(KerasLayer layer) {
    String format = layer.config().path("data_format").asText("channels_last");
    if (!format.equals("channels_last")) {
      throw layer.mismatch("has data_format " + format + ", expected channels_last");
    }
  }

  private static void requirePair(KerasLayer layer, String field, int value) {
    int[] actual = layer.ints(field);
    if (!Arrays.equals(actual, new int[] {value, value})) {
      throw layer.mismatch("has " + field + " " + Arrays.toString(actual) + ", expected [" + value + ", " + value + "]");
    }
  }
}
