package dev.aligntok.trainer.encoders;

import java.util.ArrayList;
import java.util.List;

/**
 * Keras MobileNetV2 with width multiplier 1.0 ({@code keras.applications.MobileNetV2}), stage by
 * stage and layer by layer, under Keras's layer names, so a stored Keras/TF.js model can be mapped
 * onto it name for name and any layer output can be tapped.
 *
 * <p>Stages: {@code stem} (Conv1, 32 ch, stride 2), {@code expanded_conv} (16 ch), {@code block_1}
 * … {@code block_16} (inverted residuals: 1×1 expand ×6, 3×3 depthwise, 1×1 project; identity add
 * when stride 1 and channels unchanged), {@code head} (Conv_1, 1280 ch). Stride-2 depthwise convs
 * are preceded by Keras's asymmetric zero padding (bottom/right by one) and use no conv padding.
 */
public final class MobileNetV2Architecture {
  private MobileNetV2Architecture() {}

  /** One Keras layer (a conv and its BatchNorm count as one, since they are folded together). */
  public sealed interface Layer permits Pad, ConvBn, Relu6 {
    /** The Keras layer whose output this layer produces, i.e. the name to tap it by. */
    String outputName();

    /** Output channels given the input channels; unchanged unless the layer is a convolution. */
    default int outputChannels(int inputChannels) {
      return inputChannels;
    }

    /** 1 unless the layer is a strided convolution. */
    default int stride() {
      return 1;
    }
  }

  /** ZeroPadding2D. */
  public record Pad(String name, int top, int bottom, int left, int right) implements Layer {
    @Override
    public String outputName() {
      return name;
    }
  }

  /** Conv2D or DepthwiseConv2D (without bias) followed by BatchNormalization. */
  public record ConvBn(String convName, String bnName, int inChannels, int outChannels, int kernel, int stride,
      int padding, boolean depthwise) implements Layer {
    @Override
    public String outputName() {
      return bnName;
    }

    @Override
    public int outputChannels(int inputChannels) {
      return outChannels;
    }

    public Conv2dLayer.Spec convSpec() {
      return new Conv2dLayer.Spec(inChannels, outChannels, kernel, stride, padding, depthwise ? inChannels : 1);
    }
  }

  /** ReLU with max_value 6. */
  public record Relu6(String name) implements Layer {
    @Override
    public String outputName() {
      return name;
    }
  }

  /**
   * A run of layers; when {@code addName} is not null, the stage's input is added to its output
   * by the Keras {@code Add} layer of that name.
   */
  public record Stage(String name, List<Layer> layers, String addName) {
    public Stage {
      layers = List.copyOf(layers);
    }

    public boolean residual() {
      return addName != null;
    }
  }

  /** The network cut at a tapped layer, with what it outputs. */
  public record Truncated(String tapLayer, List<Stage> stages, int outputChannels, int stride) {
    public Truncated {
      stages = List.copyOf(stages);
    }
  }

  // (expansion t, output channels c, repeats n, first stride s), as in the MobileNetV2 paper's Table 2.
  private static final int[][] INVERTED_RESIDUALS = {
      {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
  };
  static final int INPUT_CHANNELS = 3;
  static final int HEAD_CHANNELS = 1280;

  /** All stages of the full network (up to {@code out_relu}). */
  public static List<Stage> stages() {
    List<Stage> stages = new ArrayList<>();
    stages.add(new Stage("stem", List.of(
        new Pad("Conv1_pad", 0, 1, 0, 1),
        new ConvBn("Conv1", "bn_Conv1", INPUT_CHANNELS, 32, 3, 2, 0, false),
        new Relu6("Conv1_relu")), null));
    stages.add(new Stage("expanded_conv", List.of(
        new ConvBn("expanded_conv_depthwise", "expanded_conv_depthwise_BN", 32, 32, 3, 1, 1, true),
        new Relu6("expanded_conv_depthwise_relu"),
        new ConvBn("expanded_conv_project", "expanded_conv_project_BN", 32, 16, 1, 1, 0, false)), null));
    int in = 16;
    int block = 1;
    for (int[] setting : INVERTED_RESIDUALS) {
      for (int repeat = 0; repeat < setting[2]; repeat++, block++) {
        int stride = repeat == 0 ? setting[3] : 1;
        stages.add(invertedResidual(block, in, setting[1], setting[0], stride));
        in = setting[1];
      }
    }
    stages.add(new Stage("head", List.of(
        new ConvBn("Conv_1", "Conv_1_bn", in, HEAD_CHANNELS, 1, 1, 0, false),
        new Relu6("out_relu")), null));
    return stages;
  }

  private static Stage invertedResidual(int block, int in, int out, int expansion, int stride) {
    String p = "block_" + block + "_";
    int expanded = in * expansion;
    List<Layer> layers = new ArrayList<>();
    layers.add(new ConvBn(p + "expand", p + "expand_BN", in, expanded, 1, 1, 0, false));
    layers.add(new Relu6(p + "expand_relu"));
    if (stride == 2) {
      layers.add(new Pad(p + "pad", 0, 1, 0, 1));
    }
    layers.add(new ConvBn(p + "depthwise", p + "depthwise_BN", expanded, expanded, 3, stride, stride == 1 ? 1 : 0, true));
    layers.add(new Relu6(p + "depthwise_relu"));
    layers.add(new ConvBn(p + "project", p + "project_BN", expanded, out, 1, 1, 0, false));
    boolean residual = stride == 1 && in == out;
    return new Stage("block_" + block, layers, residual ? p + "add" : null);
  }

  /** Every name that can be tapped, in network order. */
  public static List<String> tappableLayers() {
    List<String> names = new ArrayList<>();
    for (Stage stage : stages()) {
      stage.layers().forEach(layer -> names.add(layer.outputName()));
      if (stage.residual()) {
        names.add(stage.addName());
      }
    }
    return names;
  }

  /**
   * The network up to and including {@code tapLayer}. A tap inside a residual stage drops the
   * stage's add (the output is then the branch at that layer, as in Keras).
   */
  public static Truncated truncate(String tapLayer) {
    List<Stage> kept = new ArrayList<>();
    int channels = INPUT_CHANNELS;
    int stride = 1;
    for (Stage stage : stages()) {
      List<Layer> layers = new ArrayList<>();
      for (Layer layer : stage.layers()) {
        layers.add(layer);
        channels = layer.outputChannels(channels);
        stride *= layer.stride();
        if (layer.outputName().equals(tapLayer)) {
          kept.add(new Stage(stage.name(), layers, null));
          return new Truncated(tapLayer, kept, channels, stride);
        }
      }
      kept.add(stage);
      if (tapLayer.equals(stage.addName())) {
        return new Truncated(tapLayer, kept, channels, stride);
      }
    }
    throw new IllegalArgumentException(unknownTap(tapLayer));
  }

  private static String unknownTap(String tapLayer) {
    for (Stage stage : stages()) {
      for (Layer layer : stage.layers()) {
        if (layer instanceof ConvBn conv && conv.convName().equals(tapLayer)) {
          return "cannot tap '" + tapLayer + "': its BatchNorm is folded into it, tap '" + conv.bnName() + "' instead";
        }
      }
    }
    return "MobileNetV2 has no tappable layer '" + tapLayer + "'; e.g. block_10_expand_relu (384 ch, stride 16), "
        + "block_12_add (96 ch, stride 16), block_16_project_BN (320 ch, stride 32), out_relu (1280 ch, stride 32); all: "
        + tappableLayers();
  }
}
