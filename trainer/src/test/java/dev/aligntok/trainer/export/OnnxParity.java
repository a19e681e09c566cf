package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.aligntok.export.onnx.OnnxEmitter;
import dev.aligntok.export.onnx.OnnxGraph;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Runs a DJL block and its ONNX export (ONNX Runtime, CPU) on the same random inputs and compares
 * them. Every result is printed and appended to {@code target/onnx-parity.txt}.
 */
final class OnnxParity {
  /** fp32 tolerance of the export (DESIGN.md section 2). */
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
    List<Result> results = new ArrayList<>();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(model, options)) {
        String inputName = session.getInputNames().iterator().next();
        for (int batch : BATCHES) {
          Shape shape = withBatch(batch, sampleShape);
          float[] input = randomNormal(Math.toIntExact(shape.size()), 31L * batch + label.hashCode());
          float[] expected = djl(manager, block, input, shape);
          float[] actual;
          try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape.getShape());
               OrtSession.Result out = session.run(Map.of(inputName, tensor))) {
            FloatBuffer buffer = ((OnnxTensor) out.get(0)).getFloatBuffer();
            actual = new float[buffer.remaining()];
            buffer.get(actual);
          }
          assertArrayEquals(new int[] {expected.length}, new int[] {actual.length}, label + ": output sizes differ");
          Result result = compare(label, batch, expected, actual);
          record(result);
          results.add(result);
        }
      }
    }
    return results;
  }

  private static float[] djl(NDManager manager, Block block, float[] input, Shape shape) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(input, shape);
      return block.forward(new ParameterStore(scope, false), new NDList(x), false).singletonOrThrow().toFloatArray();
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

  private static Shape withBatch(long batch, long... sampleShape) {
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
