package dev.aligntok.inference.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * How a bundle's sessions are created.
 *
 * @param providers tried in order until one works (ONNX Runtime refuses unavailable ones; see {@link SessionFactory})
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime choose
 * @param cacheRoot where TensorRT engine and timing caches go; null = {@code java.io.tmpdir/aligntok-trt/<bundle id>}
 *     (bundle directories may be read-only, and engines must not outlive the models they were built from)
 * @param tensorRtWorkspaceBytes TensorRT's scratch memory limit
 * @param allowFp16 false forces fp32 engines even when {@code tensorrt.json} allows fp16
 * @param deviceId GPU ordinal for TensorRT and CUDA
 */
public record RuntimeOptions(List<ExecutionProvider> providers, int intraOpThreads, int interOpThreads, Path cacheRoot,
    long tensorRtWorkspaceBytes, boolean allowFp16, int deviceId) {

  public static final List<ExecutionProvider> DEFAULT_PROVIDERS =
      List.of(ExecutionProvider.TENSORRT, ExecutionProvider.CUDA, ExecutionProvider.CPU);

  public RuntimeOptions {
    if (providers == null || providers.isEmpty()) {
      throw new IllegalArgumentException("providers must name at least one execution provider");
    }
    if (providers.stream().distinct().count() != providers.size()) {
      throw new IllegalArgumentException("providers must not repeat, got " + providers);
    }
    providers = List.copyOf(providers);
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be >= 0 (0 = ONNX Runtime's choice), got intra "
          + intraOpThreads + ", inter " + interOpThreads);
    }
    if (tensorRtWorkspaceBytes <= 0) {
      throw new IllegalArgumentException("tensorRtWorkspaceBytes must be > 0, got " + tensorRtWorkspaceBytes);
    }
    if (deviceId < 0) {
      throw new IllegalArgumentException("deviceId must be >= 0, got " + deviceId);
    }
  }

  /** TensorRT → CUDA → CPU, ONNX Runtime's thread defaults, caches under tmpdir per bundle id, 2 GiB workspace, fp16 as the bundle says. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions(DEFAULT_PROVIDERS, 0, 0, null, 2L << 30, true, 0);
  }

  public RuntimeOptions withProviders(List<ExecutionProvider> newProviders) {
    return new RuntimeOptions(newProviders, intraOpThreads, interOpThreads, cacheRoot, tensorRtWorkspaceBytes, allowFp16, deviceId);
  }

  public RuntimeOptions withThreads(int intraOp, int interOp) {
    return new RuntimeOptions(providers, intraOp, interOp, cacheRoot, tensorRtWorkspaceBytes, allowFp16, deviceId);
  }

  public RuntimeOptions withCacheRoot(Path root) {
    return new RuntimeOptions(providers, intraOpThreads, interOpThreads, root, tensorRtWorkspaceBytes, allowFp16, deviceId);
  }
}
