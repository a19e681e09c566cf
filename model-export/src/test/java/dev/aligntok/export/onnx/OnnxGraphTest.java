package dev.aligntok.export.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxGraphTest {

  @Test
  void buildsAModelWithOpset21Ir10AndASymbolicBatchAxis(@TempDir Path dir) throws Exception {
    OnnxGraph g = new OnnxGraph("tiny");
    String x = g.input("x", 2);
    g.output(g.mul(x, g.scalar(3f)), "y", 2);
    Path file = dir.resolve("sub/tiny.onnx");
    g.write(file);

    ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
    assertEquals(10, model.getIrVersion());
    assertEquals(21, model.getOpsetImport(0).getVersion());
    assertEquals("", model.getOpsetImport(0).getDomain());
    var dims = model.getGraph().getInput(0).getType().getTensorType().getShape().getDimList();
    assertEquals("batch", dims.get(0).getDimParam());
    assertEquals(2, dims.get(1).getDimValue());
    assertEquals("y", model.getGraph().getOutput(0).getName());
  }

  @Test
  void convAddAndReshapeRunInOnnxRuntimeAtAnyBatchSize() throws Exception {
    // 1×1 conv with weight [[2]] and bias 1 on one channel, then + 0.5, then flatten.
    OnnxGraph g = new OnnxGraph("conv");
    String x = g.input("x", 1, 2, 2);
    String w = g.initializer("w", new float[] {2f}, 1, 1, 1, 1);
    String b = g.initializer("b", new float[] {1f}, 1);
    String y = g.conv(x, w, b, new long[] {1, 1}, new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1);
    y = g.add(y, g.scalar(0.5f));
    g.output(g.reshape(y, 0, -1), "y", 4);

    float[] in = {1, 2, 3, 4, -1, -2, -3, -4};
    assertArrayEquals(new float[] {3.5f, 5.5f, 7.5f, 9.5f, -0.5f, -2.5f, -4.5f, -6.5f},
        run(g, in, new long[] {2, 1, 2, 2}), 1e-6f);
    assertArrayEquals(new float[] {3.5f, 5.5f, 7.5f, 9.5f}, run(g, new float[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2}), 1e-6f);
  }

  @Test
  void nearestUpsamplingRepeatsEachPixel() throws Exception {
    OnnxGraph g = new OnnxGraph("up");
    String x = g.input("x", 1, 2, 2);
    g.output(g.upsampleNearest(x, 2), "y", 1, 4, 4);
    float[] up = run(g, new float[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2});
    assertArrayEquals(new float[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4}, up);
  }

  @Test
  void clipClampsToItsBounds() throws Exception {
    OnnxGraph g = new OnnxGraph("clip");
    String x = g.input("x", 4);
    g.output(g.clip(x, 0f, 6f), "y", 4);
    assertArrayEquals(new float[] {0, 0.5f, 6, 6}, run(g, new float[] {-3, 0.5f, 6, 7.5f}, new long[] {1, 4}));
  }

  @Test
  void padAddsZerosOnlyWhereAsked() throws Exception {
    // NCHW 1×1×2×2 padded top 0, left 0, bottom 1, right 1 (Keras MobileNetV2's stride-2 padding).
    OnnxGraph g = new OnnxGraph("pad");
    String x = g.input("x", 1, 2, 2);
    g.output(g.pad(x, 0, 0, 0, 0, 0, 0, 1, 1), "y", 1, 3, 3);
    assertArrayEquals(new float[] {1, 2, 0, 3, 4, 0, 0, 0, 0}, run(g, new float[] {1, 2, 3, 4}, new long[] {1, 1, 2, 2}));
  }

  @Test
  void reduceMeanSoftmaxTransposeAndMatMul() throws Exception {
    OnnxGraph g = new OnnxGraph("ops");
    String x = g.input("x", 2, 2);                           // [[a, b], [c, d]]
    String mean = g.reduceMean(x, true, 2);                  // row means
    String centred = g.sub(x, mean);
    String gram = g.matMul(centred, g.transpose(centred, 0, 2, 1));
    g.output(g.softmax(gram, 2), "y", 2, 2);
    float[] y = run(g, new float[] {1, 3, 0, 0}, new long[] {1, 2, 2});
    // centred = [[-1, 1], [0, 0]]; gram = [[2, 0], [0, 0]]; softmax rows
    float e2 = (float) Math.exp(2);
    assertArrayEquals(new float[] {e2 / (e2 + 1), 1 / (e2 + 1), 0.5f, 0.5f}, y, 1e-6f);
  }

  @Test
  void int64IdsGatherRowsAndSplitConcatSqueezeAndTrigRun() throws Exception {
    OnnxGraph g = new OnnxGraph("ids");
    String table = g.initializer("table", new float[] {0, 0, 1, 2, 3, 4}, 3, 2);
    String rows = g.gather(table, g.inputInt64("id"), 0);                  // (N, 2)
    List<String> halves = g.split(rows, 1, 2);                              // (N, 1) each
    String swapped = g.concat(1, halves.get(1), halves.get(0));            // (N, 2)
    String trig = g.concat(0, g.cos(g.squeeze(halves.get(0), 1)), g.sin(g.squeeze(halves.get(1), 1)));  // (2N)
    g.output(g.unsqueeze(g.add(g.reshape(swapped, -1), trig), 0), "y", 4);

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(g.toBytes(), new OrtSession.SessionOptions());
         OnnxTensor ids = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {2, 1}), new long[] {2});
         OrtSession.Result result = session.run(Map.of("id", ids))) {
      FloatBuffer buffer = ((OnnxTensor) result.get(0)).getFloatBuffer();
      float[] y = new float[buffer.remaining()];
      buffer.get(y);
      // rows (3, 4), (1, 2) → swapped 4, 3, 2, 1; plus cos 3, cos 1, sin 4, sin 2
      float[] expected = {4 + (float) Math.cos(3), 3 + (float) Math.cos(1), 2 + (float) Math.sin(4), 1 + (float) Math.sin(2)};
      assertArrayEquals(expected, y, 1e-6f);
    }
    assertEquals(TensorProto.DataType.INT64.getNumber(), g.build().getGraph().getInput(0).getType().getTensorType().getElemType());
  }

  @Test
  void constantsAreStoredOnceAndNamesStayUnique() {
    OnnxGraph g = new OnnxGraph("names");
    String x = g.input("x", 3);
    assertEquals(g.scalar(1e-6f), g.scalar(1e-6f));
    assertEquals(g.int64s(0, 2, -1), g.int64s(0, 2, -1));
    assertTrue(!g.scalar(1f).equals(g.scalar(2f)));
    assertEquals("a", g.fresh("a"));
    assertEquals("a_1", g.fresh("a"));
    assertTrue(!g.add(x, x).equals(g.add(x, x)));
    g.output(x, "y", 3);
    ModelProto model = g.build();
    assertEquals(4, model.getGraph().getInitializerCount(), "1e-6, {0,2,-1}, 1, 2");
  }

  @Test
  void invalidArgumentsAreClearErrors() {
    OnnxGraph g = new OnnxGraph("bad");
    String x = g.input("x", 4);
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> g.initializer("w", new float[5], 2, 3));
    assertEquals("initializer 'w': shape [2, 3] holds 6 values but 5 were given", size.getMessage());
    g.initializer("w", new float[6], 2, 3);
    IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
        () -> g.initializer("w", new float[6], 2, 3));
    assertEquals("initializer 'w' is already used in graph 'bad'", duplicate.getMessage());
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> g.add(x, "nope"));
    assertTrue(missing.getMessage().contains("has no value 'nope'"), missing.getMessage());
    assertThrows(IllegalArgumentException.class, () -> g.input("y", 3, 0));
    assertThrows(IllegalArgumentException.class, () -> g.reduceMean(x, true));
    assertThrows(IllegalArgumentException.class, () -> g.upsampleNearest(x, 0));
    assertThrows(IllegalArgumentException.class, () -> g.clip(x, 6f, 0f));
    assertThrows(IllegalArgumentException.class, () -> g.pad(x, 0, 1, 0));
    IllegalArgumentException crop = assertThrows(IllegalArgumentException.class, () -> g.pad(x, 0, -1));
    assertTrue(crop.getMessage().contains("must not be negative"), crop.getMessage());
    IllegalStateException noOutput = assertThrows(IllegalStateException.class, g::build);
    assertTrue(noOutput.getMessage().contains("needs at least one input and one output"), noOutput.getMessage());
  }

  @Test
  void onnxRuntimeRejectsAGraphWithAWrongShapeClearly() {
    OnnxGraph g = new OnnxGraph("mismatch");
    String x = g.input("x", 3);
    String w = g.initializer("w", new float[] {1, 2}, 2);
    g.output(g.add(x, w), "y", 3);
    assertThrows(OrtException.class, () -> run(g, new float[] {1, 2, 3}, new long[] {1, 3}));
  }

  static float[] run(OnnxGraph graph, float[] input, long[] shape) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      try (OrtSession session = env.createSession(graph.toBytes(), options);
           OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
           OrtSession.Result result = session.run(Map.of(session.getInputNames().iterator().next(), tensor))) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        FloatBuffer buffer = out.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
      }
    }
  }
}
