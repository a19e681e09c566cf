package dev.aligntok.inference.runtime;

/** ONNX Runtime execution providers this runtime knows how to configure, in the usual preference order. */
public enum ExecutionProvider {
  /** NVIDIA TensorRT (engines built per batch profile, cached on disk), with CUDA for the nodes it cannot take. */
  TENSORRT,
  /** NVIDIA CUDA kernels. */
  CUDA,
  /** ONNX Runtime's own CPU kernels: always available. */
  CPU
}
