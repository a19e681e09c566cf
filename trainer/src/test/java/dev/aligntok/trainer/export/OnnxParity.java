package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.aligntok.export.onnx.OnnxEmitter;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aligntok.export.onnx.OnnxGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Runs a DJL block and its ONNX export (ONNX Runtime, CPU) on the same random inputs and compares
 * them. Every result is printed and appended to {@code target/onnx-parity.txt}.
 */
final class OnnxParity {
  /** fp32 tolerance of the export (docs/architecture.md §5). */
  static final double MAX_ABS_ERROR = 1e-4;
  /** Batch sizes every model is run at: the dynamic batch axis must really be dynamic. */
  static final int[] BATCHES = {1, 3};
  private static final Path REPORT = Path.of("target", "onnx-parity.txt");

  /**
   * @param maxAbs  max |ORT − DJL| over all elements
   * @param maxRel  maxAbs ÷ max |DJL| (error relative to the output's scale)
   * @param refMax  max |DJL|
   */
  record Result(String label, int batch, int elements, double maxAbs, double maxRel, double refMax) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-36s batch=%d n=%-7d maxAbs=%.3e maxRel=%.3e (max|ref|=%.3g)",
          label, batch, elements, maxAbs, maxRel, refMax);
    }
  }

  private OnnxParity() {}

  /** A graph holding only {@code layer}: input {@code x} [batch, sampleShape], output {@code y}. */
  static OnnxGraph layerGraph(String label, Block block, OnnxEmitter emitter, long... sampleShape) {
    OnnxGraph graph = new OnnxGraph(label);
    String x = graph.input("x", sampleShape);
    String y = emitter.emit(graph, x, label + ".");
    Shape out = block.getOutputShapes(new Shape[] {withBatch(1, sampleShape)})[0];
    graph.output(y, "y", Arrays.copyOfRange(out.getShape(), 1, out.dimension()));
    return graph;
  }

  /** Exports {@code block} (which must be initialised) on its own, checks it at every batch size, returns the results. */
  static List<Result> assertLayerParity(String label, NDManager manager, Block block, OnnxEmitter emitter, long... sampleShape)
      throws OrtException {
    return assertParity(label, manager, block, layerGraph(label, block, emitter, sampleShape).toBytes(), sampleShape);
  }

  /** Checks an exported model against {@code block} at every batch size; fails above {@link #MAX_ABS_ERROR}. */
  static List<Result> assertParity(String label, NDManager manager, Block block, byte[] model, long... sampleShape)
      throws OrtException {
    List<Result> results = measure(label, manager, block, model, sampleShape);
    for (Result r : results) {
      assertTrue(r.maxAbs() <= MAX_ABS_ERROR, "ONNX Runtime and DJL disagree: " + r);
    }
    return results;
  }

  /** Runs both sides at every batch size of {@link #BATCHES} on seeded standard-normal inputs. */
  static List<Result> measure(String label, NDManager manager, Block block, byte[] model, long... sampleShape)
      throws OrtException {
    String inputName = firstInputName(model);
    return measure(label, manager, block, model, batch -> {
      Shape shape = withBatch(batch, sampleShape);
      float[] values = randomNormal(Math.toIntExact(shape.size()), 31L * batch + label.hashCode());
      return List.of(Input.floats(inputName, values, shape.getShape()));
    }, BATCHES);
  }

  /**
   * One named model input at one batch size: float32 or int64 values with their shape. The same
   * values go to ONNX Runtime (by name) and to the DJL block (in list order).
   */
  record Input(String name, long[] shape, float[] floats, long[] ids) {
    static Input floats(String name, float[] values, long... shape) {
      return new Input(name, shape, values, null);
    }

    static Input int64(String name, long[] values, long... shape) {
      return new Input(name, shape, null, values);
    }

    NDArray toNDArray(NDManager manager) {
      return floats != null ? manager.create(floats, new Shape(shape)) : manager.create(ids, new Shape(shape));
    }

    OnnxTensor toTensor(OrtEnvironment env) throws OrtException {
      return floats != null ? OnnxTensor.createTensor(env, FloatBuffer.wrap(floats), shape)
          : OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
    }
  }

  /** {@link #measure(String, NDManager, Block, byte[], IntFunction, int...)}, failing above {@link #MAX_ABS_ERROR}. */
  static List<Result> assertParity(String label, NDManager manager, Block block, byte[] model,
      IntFunction<List<Input>> inputsForBatch, int... batches) throws OrtException {
    List<Result> results = measure(label, manager, block, model, inputsForBatch, batches);
    for (Result r : results) {
      assertTrue(r.maxAbs() <= MAX_ABS_ERROR, "ONNX Runtime and DJL disagree: " + r);
    }
    return results;
  }

  /**
   * Runs a (possibly multi-input) block and its model at each batch size through one ONNX Runtime
   * session, so the batch axis must really be dynamic; compares the first output.
   */
  static List<Result> measure(String label, NDManager manager, Block block, byte[] model,
      IntFunction<List<Input>> inputsForBatch, int... batches) throws OrtException {
    List<Result> results = new ArrayList<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options)) {
        for (int batch : batches) {
          List<Input> inputs = inputsForBatch.apply(batch);
          float[] expected = djl(manager, block, inputs);
          float[] actual = ort(env, session, inputs);
          assertArrayEquals(new int[] {expected.length}, new int[] {actual.length}, label + ": output sizes differ");
          Result result = compare(label, batch, expected, actual);
          record(result);
          results.add(result);
        }
      }
    }
    return results;
  }

  private static float[] djl(NDManager manager, Block block, List<Input> inputs) {
    try (NDManager scope = manager.newSubManager()) {
      NDList arrays = new NDList();
      for (Input input : inputs) {
        arrays.add(input.toNDArray(scope));
      }
      return block.forward(new ParameterStore(scope, false), arrays, false).singletonOrThrow().toFloatArray();
    }
  }

  /** The first output of a model run once in ONNX Runtime (CPU) on named inputs. */
  static float[] runOrt(byte[] model, List<Input> inputs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
         OrtSession session = env.createSession(model, options)) {
      return ort(env, session, inputs);
    }
  }

  private static float[] ort(OrtEnvironment env, OrtSession session, List<Input> inputs) throws OrtException {
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (Input input : inputs) {
        tensors.put(input.name(), input.toTensor(env));
      }
      try (OrtSession.Result out = session.run(tensors)) {
        FloatBuffer buffer = ((OnnxTensor) out.get(0)).getFloatBuffer();
        float[] actual = new float[buffer.remaining()];
        buffer.get(actual);
        return actual;
      }
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private static String firstInputName(byte[] model) {
    try {
      return ModelProto.parseFrom(model).getGraph().getInput(0).getName();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model", e);
    }
  }

  static Result compare(String label, int batch, float[] expected, float[] actual) {
    double maxAbs = 0;
    double refMax = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs((double) expected[i] - actual[i]);
      if (Double.isNaN(diff)) {
        diff = Double.POSITIVE_INFINITY;
      }
      maxAbs = Math.max(maxAbs, diff);
      refMax = Math.max(refMax, Math.abs(expected[i]));
    }
    return new Result(label, batch, expected.length, maxAbs, refMax == 0 ? maxAbs : maxAbs / refMax, refMax);
  }

  static float[] randomNormal(int size, long seed) {
    Random random = new Random(seed);
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  static Shape withBatch(long batch, long... sampleShape) {
    long[] dims = new long[sampleShape.length + 1];
    dims[0] = batch;
    System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
    return new Shape(dims);
  }

  private static void record(Result result) {
    System.out.println("PARITY " + result);
    try {
      Files.createDirectories(REPORT.getParent());
      Files.writeString(REPORT, result + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
