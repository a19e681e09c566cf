package dev.aligntok.stream.service.model;

import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.runtime.BundleModels;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The loaded model as the service sees it: a {@link BundleModels} (hot reload) exposing only the
 * enabled pipelines' ports, plus what health and metrics report. An encoder or generator is absent
 * when its pipeline is disabled. Tests build one with a decorated generator (slowed, crashing) and
 * put it in place of the factory's bean.
 */
public final class ModelPorts implements AutoCloseable {
  private final BundleModels models;
  private final boolean tokenize;
  private final boolean generate;
  private final UnaryOperator<ImageGeneratorPort> decorateGenerator;

  public ModelPorts(BundleModels models, boolean tokenize, boolean generate) {
    this(models, tokenize, generate, UnaryOperator.identity());
  }

  /**
   * @param decorateGenerator wraps the bundle's generator port each time it is handed out (tests
   *     slow it down to hold a batch in flight)
   */
  public ModelPorts(BundleModels models, boolean tokenize, boolean generate,
                    UnaryOperator<ImageGeneratorPort> decorateGenerator) {
    if (generate && !models.canGenerate()) {
      throw new IllegalArgumentException("bundle " + models.bundleId() + " is tokenizer-only but aligntok.generate.enabled "
          + "is true: export a bundle with a DiT or set aligntok.generate.enabled=false");
    }
    this.models = models;
    this.tokenize = tokenize;
    this.generate = generate;
    this.decorateGenerator = decorateGenerator;
  }

  public Optional<LatentEncoderPort> encoder() {
    return tokenize ? Optional.of(models.encoder()) : Optional.empty();
  }

  public Optional<ImageGeneratorPort> generator() {
    return generate ? Optional.of(decorateGenerator.apply(models.generator())) : Optional.empty();
  }

  /** What the latent of an image tokenized now looks like; empty when the tokenize pipeline is disabled. */
  public Optional<BundleModels.LatentLayout> latentLayout() {
    return tokenize ? Optional.of(models.latentLayout()) : Optional.empty();
  }

  /** Execution provider actually in use (for example TensorRT, CUDA, CPU), for metrics and health. */
  public String provider() {
    return models.provider();
  }

  /**
   * Swaps in the bundle at {@code dir} between batches and returns its id; a bundle that fails
   * validation is rejected (the exception says why) and the one in service stays. See
   * {@link BundleModels#reload}.
   */
  public String reload(Path dir) {
    return models.reload(dir);
  }

  /**
   * Releases native sessions; called once at shutdown, after Kafka Streams has closed. A stream
   * thread still inside a model call (the close timed out) keeps its bundle until the call ends.
   */
  @Override
  public void close() {
    models.close();
  }
}
