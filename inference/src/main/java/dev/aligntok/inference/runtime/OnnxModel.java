package dev.aligntok.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.aligntok.inference.bundle.BundleManifest.TensorSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ONNX Runtime session, created once and shared by every thread ({@link OrtSession#run} is
 * thread-safe). Every native tensor and result it creates is closed before {@link #run} returns.
 */
public final class OnnxModel implements AutoCloseable {
  private final String file;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final InputBuffers buffers;

  public OnnxModel(String file, OrtEnvironment env, OrtSession session) {
    this.file = file;
    this.env = env;
    this.session = session;
    this.buffers = new InputBuffers((int) session.getNumInputs());
  }

  /** The model's file name, for messages. */
  public String file() {
    return file;
  }

  /** The graph inputs as ONNX Runtime reports them (-1 for symbolic axes). */
  public List<TensorSpec> inputs() {
    try {
      return specs(session.getInputInfo());
    } catch (OrtException e) {
      throw new InferenceException(file + ": cannot read input metadata: " + e.getMessage(), e);
    }
  }

  /** The graph outputs as ONNX Runtime reports them (-1 for symbolic axes). */
  public List<TensorSpec> outputs() {
    try {
      return specs(session.getOutputInfo());
    } catch (OrtException e) {
      throw new InferenceException(file + ": cannot read output metadata: " + e.getMessage(), e);
    }
  }

  /** Runs the model on {@code feeds} and returns the float32 output {@code outputName}, copied to the heap. */
  public float[] run(String outputName, Feed... feeds) {
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      if (feeds.length > session.getNumInputs()) {
        throw new IllegalArgumentException(file + " has " + session.getNumInputs() + " inputs, given " + feeds.length);
      }
      for (int slot = 0; slot < feeds.length; slot++) {
        tensors.put(feeds[slot].name(), feeds[slot].toTensor(env, buffers, slot));
      }
      try (OrtSession.Result result = session.run(tensors, java.util.Set.of(outputName))) {
        OnnxValue value = result.get(outputName).orElseThrow(() -> new IllegalStateException(
            file + " returned no output '" + outputName + "'"));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] out = new float[buffer.remaining()];
        buffer.get(out);
        return out;
      }
    } catch (OrtException e) {
      throw new InferenceException(file + ": run failed: " + e.getMessage(), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new InferenceException(file + ": closing the session failed: " + e.getMessage(), e);
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
    List<TensorSpec> specs = new ArrayList<>();
    infos.forEach((name, info) -> {
      if (info.getInfo() instanceof TensorInfo tensor) {
        List<Long> shape = new ArrayList<>();
        for (long d : tensor.getShape()) {
          shape.add(d);
        }
        specs.add(new TensorSpec(name, dtype(tensor.type), shape));
      } else {
        specs.add(new TensorSpec(name, "non-tensor " + info.getInfo(), List.of()));
      }
    });
    return specs;
  }

  private static String dtype(OnnxJavaType type) {
    return switch (type) {
      case FLOAT -> TensorSpec.FLOAT32;
      case INT64 -> TensorSpec.INT64;
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }
}
