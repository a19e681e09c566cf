package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.nn.Layers;
import dev.aligntok.trainer.nn.PaddedConvolution;

/**
 * A 2-D convolution with bias over NCHW input: square kernel, symmetric zero padding, optional
 * groups (groups = channels gives a depthwise convolution). Pretrained BatchNorm is folded into
 * its weight and bias (see {@link BatchNormFolding}), so it has no running statistics to drift.
 *
 * <p>Parameters: {@code weight} (out, in/groups, k, k) and {@code bias} (out), trainable.
 */
public final class Conv2dLayer extends AbstractBlock implements OnnxEmitter {
  private static final byte VERSION = 1;

  /** Geometry of the convolution. */
  public record Spec(int inChannels, int outChannels, int kernel, int stride, int padding, int groups) {
    public Spec {
      if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || groups <= 0
          || inChannels % groups != 0 || outChannels % groups != 0) {
        throw new IllegalArgumentException("invalid convolution: " + inChannels + "→" + outChannels + " channels, kernel "
            + kernel + ", stride " + stride + ", padding " + padding + ", groups " + groups);
      }
    }

    public Shape weightShape() {
      return new Shape(outChannels, inChannels / groups, kernel, kernel);
    }

    /** Output size along one spatial axis. */
    public long outputSize(long inputSize) {
      return Math.floorDiv(inputSize + 2L * padding - kernel, stride) + 1;
    }
  }

  private final String name;
  private final Spec spec;
  private final Parameter weight;
  private final Parameter bias;

  public Conv2dLayer(String name, Spec spec) {
    super(VERSION);
    this.name = name;
    this.spec = spec;
    // No shapes here: pretrained arrays are set with setWeights, random ones shaped in prepare().
    this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
  }

  public String name() {
    return name;
  }

  public Spec spec() {
    return spec;
  }

  /** The (out, in/groups, k, k) kernel parameter, e.g. for an exporter. */
  public Parameter weight() {
    return weight;
  }

  public Parameter bias() {
    return bias;
  }

  /** Sets pretrained values (before {@code initialize}); the arrays become this layer's parameters. */
  public void setWeights(NDArray weightValues, NDArray biasValues) {
    if (!weightValues.getShape().equals(spec.weightShape()) || !biasValues.getShape().equals(new Shape(spec.outChannels()))) {
      throw new IllegalArgumentException(name + ": weight " + weightValues.getShape() + " / bias " + biasValues.getShape()
          + " do not fit " + spec);
    }
    weight.setArray(weightValues);
    bias.setArray(biasValues);
  }

  @Override
  protected void prepare(Shape[] inputShapes) {
    checkInput(inputShapes[0]);
    weight.setShape(spec.weightShape());
    bias.setShape(new Shape(spec.outChannels()));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    checkInput(x.getShape());
    NDArray w = store.getValue(weight, x.getDevice(), training);
    NDArray b = store.getValue(bias, x.getDevice(), training);
    return new NDList(PaddedConvolution.paddedConv2d(x, w, b, new Shape(spec.stride(), spec.stride()), new Shape(spec.padding(), spec.padding()),
        new Shape(1, 1), spec.groups()));
  }

  /** ONNX twin of the forward: Conv with the same kernel, stride, symmetric padding and groups. */
  @Override
  public String emit(OnnxGraph graph, String input, String prefix) {
    String w = graph.initializer(prefix + "weight", Layers.values(weight, prefix + "weight"), spec.weightShape().getShape());
    String b = graph.initializer(prefix + "bias", Layers.values(bias, prefix + "bias"), spec.outChannels());
    long k = spec.kernel();
    long s = spec.stride();
    long p = spec.padding();
    return graph.conv(input, w, b, new long[] {k, k}, new long[] {s, s}, new long[] {p, p}, new long[] {1, 1}, spec.groups());
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    checkInput(in);
    return new Shape[] {new Shape(in.get(0), spec.outChannels(), spec.outputSize(in.get(2)), spec.outputSize(in.get(3)))};
  }

  private void checkInput(Shape shape) {
    if (shape.dimension() != 4 || shape.get(1) != spec.inChannels()) {
      throw new IllegalArgumentException(name + ": expected NCHW input with " + spec.inChannels() + " channels, got " + shape);
    }
    if (shape.get(2) + 2L * spec.padding() < spec.kernel() || shape.get(3) + 2L * spec.padding() < spec.kernel()) {
      throw new IllegalArgumentException(name + ": input " + shape + " is smaller than the " + spec.kernel() + "×"
          + spec.kernel() + " kernel (the image is too small for this tap)");
    }
  }

  @Override
  public String toString() {
    return "Conv2dLayer(" + name + ", " + spec + ")";
  }
}
