package dev.aligntok.trainer.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.aligntok.trainer.encoders.BatchNormFolding;
import dev.aligntok.trainer.encoders.FloatTensor;
import dev.aligntok.trainer.encoders.KerasKernels;
import dev.aligntok.trainer.encoders.KerasLayer;
import dev.aligntok.trainer.encoders.TfjsLayersModel;
import dev.aligntok.trainer.nn.PaddedConvolution;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras functional CNN from a TF.js layers model, cut at one layer and run for inference only
 * (no parameters, no gradients) on DJL, NCHW. Enough of Keras for InceptionV3 up to {@code mixed5}:
 * Conv2D (any kernel shape; "valid", or "same" at stride 1 with odd kernels) with its following
 * BatchNormalization folded in (inference statistics, {@link BatchNormFolding}), Activation
 * relu/linear, MaxPooling2D ("valid"), AveragePooling2D ("valid", or "same" at stride 1, where —
 * as in TensorFlow — padded cells are left out of the average), Concatenate on the channel axis.
 * Anything else on the path to the cut names the layer and fails at load time rather than computing
 * something different.
 *
 * <p>Layers run in the topology's order (Keras writes it topologically); an intermediate array is
 * closed as soon as its last consumer has run, which keeps memory near the widest cut of the
 * graph.
 */
final class FrozenKerasGraph implements AutoCloseable {
  private final String output;
  private final List<Node> nodes;
  private final int outputChannels;
  private final NDManager manager;

  private FrozenKerasGraph(String output, List<Node> nodes, int outputChannels, NDManager manager) {
    this.output = output;
    this.nodes = nodes;
    this.outputChannels = outputChannels;
    this.manager = manager;
  }

  /** One step of the graph: reads named outputs of earlier nodes. */
  private interface Node {
    String name();

    List<String> inputs();

    NDArray apply(List<NDArray> in);
  }

  private record Input(String name) implements Node {
    @Override
    public List<String> inputs() {
      return List.of();
    }

    @Override
    public NDArray apply(List<NDArray> in) {
      throw new IllegalStateException("the input node is fed, not applied");
    }
  }

  private record Conv(String name, List<String> inputs, NDArray weight, NDArray bias, int strideH, int strideW,
      int padH, int padW) implements Node {
    @Override
    public NDArray apply(List<NDArray> in) {
      return PaddedConvolution.paddedConv2d(in.get(0), weight, bias, new Shape(strideH, strideW), new Shape(padH, padW), new Shape(1, 1), 1);
    }
  }

  private record Relu(String name, List<String> inputs) implements Node {
    @Override
    public NDArray apply(List<NDArray> in) {
      return in.get(0).maximum(0f);
    }
  }

  private record Identity(String name, List<String> inputs) implements Node {
    @Override
    public NDArray apply(List<NDArray> in) {
      return in.get(0).duplicate();
    }
  }

  private record MaxPool(String name, List<String> inputs, int[] pool, int[] strides) implements Node {
    @Override
    public NDArray apply(List<NDArray> in) {
      return Pool.maxPool2d(in.get(0), new Shape(pool[0], pool[1]), new Shape(strides[0], strides[1]), new Shape(0, 0), false);
    }
  }

  private record AvgPool(String name, List<String> inputs, int[] pool, int[] strides, int padH, int padW) implements Node {
    @Override
    public NDArray apply(List<NDArray> in) {
      NDArray x = in.get(0);
      Shape kernel = new Shape(pool[0], pool[1]);
      Shape stride = new Shape(strides[0], strides[1]);
      Shape padding = new Shape(padH, padW);
      NDArray sumsOverArea = Pool.avgPool2d(x, kernel, stride, padding, false, true);
      if (padH == 0 && padW == 0) {
        return sumsOverArea;
      }
      // TensorFlow's SAME average pooling divides by the cells inside the image only. DJL's PyTorch
      // engine ignores countIncludePad=false (measured: it always counts the padding), so divide by
      // the pooled share of real cells instead: (sum/k) / (count/k) = sum/count.
      Shape shape = x.getShape();
      NDArray inside = Pool.avgPool2d(x.getManager().ones(new Shape(1, 1, shape.get(2), shape.get(3))), kernel, stride,
          padding, false, true);
      return sumsOverArea.div(inside);
    }
  }

  private record Concat(String name, List<String> inputs) implements Node {
    @Override
    public NDArray apply(List<NDArray> in) {
      return NDArrays.concat(new NDList(in), 1);
    }
  }

  /**
   * The part of {@code model} that {@code outputLayer} depends on, with weights (folded) in a new
   * sub-manager of {@code parent}; close the graph to free them.
   */
  static FrozenKerasGraph truncated(TfjsLayersModel model, String outputLayer, NDManager parent) {
    model.layer(outputLayer); // fails naming the model when absent
    Set<String> needed = ancestors(model, outputLayer);
    Map<String, Integer> consumers = new HashMap<>();
    for (KerasLayer layer : model.layers()) {
      if (needed.contains(layer.name())) {
        layer.inbound().forEach(in -> consumers.merge(in, 1, Integer::sum));
      }
    }
    NDManager manager = parent.newSubManager();
    try {
      List<Node> nodes = new ArrayList<>();
      Map<String, Integer> channels = new HashMap<>();
      Map<String, String> renamed = new HashMap<>(); // a folded BatchNorm's name → its conv's node
      for (KerasLayer layer : model.layers()) {
        if (!needed.contains(layer.name())) {
          continue;
        }
        List<String> inputs = layer.inbound().stream().map(in -> renamed.getOrDefault(in, in)).toList();
        switch (layer.className()) {
          case "InputLayer" -> {
            nodes.add(new Input(layer.name()));
            channels.put(layer.name(), 3);
          }
          case "Conv2D" -> {
            KerasLayer bn = foldableBatchNorm(model, layer, needed, consumers);
            nodes.add(conv(model, layer, bn, inputs, channels.get(inputs.get(0)), manager));
            channels.put(layer.name(), (int) layer.number("filters"));
            if (bn != null) {
              renamed.put(bn.name(), layer.name());
            }
          }
          case "BatchNormalization" -> {
            if (!renamed.containsKey(layer.name())) {
              throw layer.mismatch("is not directly after a Conv2D that only it reads, so it cannot be folded (unsupported)");
            }
          }
          case "Activation" -> {
            String activation = layer.text("activation");
            if (activation.equals("relu")) {
              nodes.add(new Relu(layer.name(), inputs));
            } else if (activation.equals("linear")) {
              nodes.add(new Identity(layer.name(), inputs));
            } else {
              throw layer.mismatch("has activation '" + activation + "' (supported: relu, linear)");
            }
            channels.put(layer.name(), channels.get(inputs.get(0)));
          }
          case "MaxPooling2D" -> {
            requireChannelsLast(layer);
            if (!layer.text("padding").equals("valid")) {
              throw layer.mismatch("has padding '" + layer.text("padding") + "' (supported: valid)");
            }
            nodes.add(new MaxPool(layer.name(), inputs, layer.ints("pool_size"), layer.ints("strides")));
            channels.put(layer.name(), channels.get(inputs.get(0)));
          }
          case "AveragePooling2D" -> {
            requireChannelsLast(layer);
            int[] pool = layer.ints("pool_size");
            int[] strides = layer.ints("strides");
            int[] pad = samePadding(layer, pool, strides);
            nodes.add(new AvgPool(layer.name(), inputs, pool, strides, pad[0], pad[1]));
            channels.put(layer.name(), channels.get(inputs.get(0)));
          }
          case "Concatenate" -> {
            int axis = (int) layer.number("axis", -1);
            if (axis != -1 && axis != 3) {
              throw layer.mismatch("concatenates on axis " + axis + " (supported: the channel axis, -1 or 3)");
            }
            nodes.add(new Concat(layer.name(), inputs));
            channels.put(layer.name(), inputs.stream().mapToInt(channels::get).sum());
          }
          default -> throw layer.mismatch("is not supported by the frozen-graph runner (supported: Conv2D, "
              + "BatchNormalization after Conv2D, Activation, MaxPooling2D, AveragePooling2D, Concatenate)");
        }
      }
      String outputNode = renamed.getOrDefault(outputLayer, outputLayer);
      return new FrozenKerasGraph(outputNode, List.copyOf(nodes), channels.get(outputNode), manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  int outputChannels() {
    return outputChannels;
  }

  /**
   * Runs the graph on NCHW input in the network's own range; the result is attached to the
   * input's manager, every intermediate array is closed.
   */
  NDArray forward(NDArray input) {
    Map<String, Integer> remaining = new HashMap<>();
    for (Node node : nodes) {
      node.inputs().forEach(in -> remaining.merge(in, 1, Integer::sum));
    }
    Map<String, NDArray> values = new LinkedHashMap<>();
    try (NDManager scope = input.getManager().newSubManager()) {
      for (Node node : nodes) {
        if (node instanceof Input) {
          values.put(node.name(), input);
          continue;
        }
        List<NDArray> in = node.inputs().stream().map(values::get).toList();
        NDArray out = node.apply(in);
        out.attach(scope);
        values.put(node.name(), out);
        for (String name : node.inputs()) {
          if (remaining.merge(name, -1, Integer::sum) == 0 && !name.equals(output)) {
            NDArray done = values.remove(name);
            if (done != input) {
              done.close();
            }
          }
        }
      }
      NDArray result = values.get(output);
      result.attach(input.getManager());
      return result;
    }
  }

  @Override
  public void close() {
    manager.close();
  }

  private static Set<String> ancestors(TfjsLayersModel model, String outputLayer) {
    Set<String> seen = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>(List.of(outputLayer));
    while (!pending.isEmpty()) {
      String name = pending.pop();
      if (seen.add(name)) {
        pending.addAll(model.layer(name).inbound());
      }
    }
    return seen;
  }

  // The BatchNormalization that reads only this conv, and is the conv's only reader; else null.
  private static KerasLayer foldableBatchNorm(TfjsLayersModel model, KerasLayer conv, Set<String> needed,
      Map<String, Integer> consumers) {
    if (consumers.getOrDefault(conv.name(), 0) != 1) {
      return null;
    }
    for (KerasLayer layer : model.layers()) {
      if (needed.contains(layer.name()) && layer.inbound().equals(List.of(conv.name()))
          && layer.className().equals("BatchNormalization")) {
        return layer;
      }
    }
    return null;
  }

  private static Conv conv(TfjsLayersModel model, KerasLayer layer, KerasLayer bn, List<String> inputs, int inChannels,
      NDManager manager) {
    requireChannelsLast(layer);
    if (!Arrays.equals(layer.ints("dilation_rate"), new int[] {1, 1})) {
      throw layer.mismatch("has dilation " + Arrays.toString(layer.ints("dilation_rate")) + " (supported: 1)");
    }
    if (!layer.config().path("activation").asText("linear").equals("linear")) {
      throw layer.mismatch("has a fused activation (supported: linear, with a separate Activation layer)");
    }
    if (layer.number("groups", 1) != 1) {
      throw layer.mismatch("is a grouped convolution (unsupported)");
    }
    int[] kernelSize = layer.ints("kernel_size");
    int[] strides = layer.ints("strides");
    int filters = (int) layer.number("filters");
    int[] pad = samePadding(layer, kernelSize, strides);
    FloatTensor kernel = model.weight(layer.name() + "/kernel").requireShape(kernelSize[0], kernelSize[1], inChannels, filters);
    float[] weight = KerasKernels.conv2dToOihw(kernel);
    float[] bias = layer.flag("use_bias", true) ? model.weight(layer.name() + "/bias").requireShape(filters).values() : null;
    if (bn != null) {
      BatchNormFolding.Folded folded = BatchNormFolding.fold(weight, bias, batchNorm(model, bn, filters));
      weight = folded.weight();
      bias = folded.bias();
    }
    if (bias == null) {
      bias = new float[filters];
    }
    return new Conv(layer.name(), inputs, manager.create(weight, new Shape(filters, inChannels, kernelSize[0], kernelSize[1])),
        manager.create(bias), strides[0], strides[1], pad[0], pad[1]);
  }

  private static BatchNormFolding.BatchNorm batchNorm(TfjsLayersModel model, KerasLayer layer, int channels) {
    double axis = layer.number("axis", -1);
    if (axis != -1 && axis != 3) {
      throw layer.mismatch("normalises axis " + axis + ", expected the channel axis (-1 or 3)");
    }
    String prefix = layer.name() + "/";
    float[] ones = new float[channels];
    Arrays.fill(ones, 1f);
    float[] gamma = layer.flag("scale", true) ? model.weight(prefix + "gamma").requireShape(channels).values() : ones;
    float[] beta = layer.flag("center", true) ? model.weight(prefix + "beta").requireShape(channels).values()
        : new float[channels];
    return new BatchNormFolding.BatchNorm(gamma, beta, model.weight(prefix + "moving_mean").requireShape(channels).values(),
        model.weight(prefix + "moving_variance").requireShape(channels).values(), layer.number("epsilon", 1e-3));
  }

  // "valid" → no padding; "same" → symmetric (k−1)/2, which equals TensorFlow's only at stride 1 with odd k.
  private static int[] samePadding(KerasLayer layer, int[] kernel, int[] strides) {
    String mode = layer.text("padding");
    if (mode.equals("valid")) {
      return new int[] {0, 0};
    }
    boolean symmetric = strides[0] == 1 && strides[1] == 1 && kernel[0] % 2 == 1 && kernel[1] % 2 == 1;
    if (mode.equals("same") && symmetric) {
      return new int[] {(kernel[0] - 1) / 2, (kernel[1] - 1) / 2};
    }
    throw layer.mismatch("has padding '" + mode + "' with kernel " + Arrays.toString(kernel) + " and strides "
        + Arrays.toString(strides) + " (supported: valid, or same at stride 1 with odd sizes)");
  }

  private static void requireChannelsLast(KerasLayer layer) {
    String format = layer.config().path("data_format").asText("channels_last");
    if (!format.equals("channels_last")) {
      throw layer.mismatch("has data_format " + format + ", expected channels_last");
    }
  }
}
