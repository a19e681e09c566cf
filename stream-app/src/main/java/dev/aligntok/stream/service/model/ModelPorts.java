package dev.aligntok.stream.service.model;

import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import java.util.Optional;

/**
 * The loaded model as the service sees it: the ports its topologies call, plus what health and
 * metrics report. An encoder or generator is absent when its pipeline is disabled.
 */
public interface ModelPorts extends AutoCloseable {
  Optional<LatentEncoderPort> encoder();

  Optional<ImageGeneratorPort> generator();

  /** Whether a validated bundle is loaded and serving (readiness). */
  boolean loaded();

  /** Execution provider actually in use (for example TensorRT, CUDA, CPU), for metrics and health. */
  String provider();

  /**
   * Swaps in the bundle at {@code bundleDir} between batches and returns its id; a bundle that fails
   * validation is rejected (the exception says why) and the one in service stays.
   */
  default String reload(java.nio.file.Path bundleDir) {
    throw new UnsupportedOperationException("this model cannot be reloaded");
  }

  /**
   * Releases native sessions; called once at shutdown, after Kafka Streams has closed. If that close
   * timed out, a stream thread may still be inside a model call: wait for in-flight calls before
   * freeing native memory.
   */
  @Override
  default void close() {}
}
