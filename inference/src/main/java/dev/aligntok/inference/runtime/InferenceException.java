package dev.aligntok.inference.runtime;

/** ONNX Runtime failed to run a loaded model; the message names the model file and the batch. */
public final class InferenceException extends RuntimeException {
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
