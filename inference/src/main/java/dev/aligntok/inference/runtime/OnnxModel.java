package dev.aligntok.inference.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.aligntok.inference.cancel.Cancellation;
import dev.aligntok.inference.cancel.CancelledException;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ONNX Runtime session, created once and shared by every thread ({@link OrtSession#run} is
 * thread-safe). Every native tensor and result it creates is closed before {@link #run} returns.
 * Inside a {@link Cancellation} scope a run can be stopped from another thread (ONNX Runtime's
 * terminate flag); it then throws {@link CancelledException}.
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
      Cancellation scope = Cancellation.current();
      if (scope == null) {
        return runOnce(tensors, outputName, null);
      }
      scope.throwIfCancelled();
      try (OrtSession.RunOptions options = new OrtSession.RunOptions();
           Cancellation.Registration terminate = scope.onCancel(() -> terminate(options))) {
        return runOnce(tensors, outputName, options);
      } catch (OrtException e) {
        if (scope.isCancelled()) {
          throw new CancelledException(file + ": run stopped: " + scope.reason(), e);
        }
        throw e;
      }
    } catch (OrtException e) {
      throw new InferenceException(file + ": run failed: " + e.getMessage(), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private float[] runOnce(Map<String, OnnxTensor> tensors, String outputName, OrtSession.RunOptions options)
      throws OrtException {
    java.util.Set<String> outputs = java.util.Set.of(outputName);
    try (OrtSession.Result result = options == null ? session.run(tensors, outputs) : session.run(tensors, outputs, options)) {
      OnnxValue value = result.get(outputName).orElseThrow(() -> new IllegalStateException(
          file + " returned no output '" + outputName + "'"));
      FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
      float[] out = new float[buffer.remaining()];
      buffer.get(out);
      return out;
    }
  }

  /** Called by a watchdog thread: the running session.run returns with an error soon after. */
  private void terminate(OrtSession.RunOptions options) {
    try {
      options.setTerminate(true);
    } catch (OrtException e) {
      throw new InferenceException(file + ": cannot set the terminate flag: " + e.getMessage(), e);
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
