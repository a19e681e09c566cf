package dev.aligntok.stream.service.model;

import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.runtime.BundleModels;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The service's model: a {@link BundleModels} (hot reload) exposing only the enabled pipelines' ports. */
public final class BundleModelPorts implements ModelPorts {
  private final BundleModels models;
  private final boolean tokenize;
  private final boolean generate;
  private final UnaryOperator<ImageGeneratorPort> decorateGenerator;

  public BundleModelPorts(BundleModels models, boolean tokenize, boolean generate) {
    this(models, tokenize, generate, UnaryOperator.identity());
  }

  /**
   * @param decorateGenerator wraps the bundle's generator port each time it is handed out (tests
   *     slow it down to hold a batch in flight)
   */
  public BundleModelPorts(BundleModels models, boolean tokenize, boolean generate,
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

  @Override
  public Optional<LatentEncoderPort> encoder() {
    return tokenize ? Optional.of(models.encoder()) : Optional.empty();
  }

  @Override
  public Optional<ImageGeneratorPort> generator() {
    return generate ? Optional.of(decorateGenerator.apply(models.generator())) : Optional.empty();
  }

  @Override
  public boolean loaded() {
    return true;
  }

  @Override
  public String provider() {
    return models.provider();
  }

  /** Swaps in the bundle at {@code dir} between batches; see {@link BundleModels#reload}. */
  @Override
  public String reload(Path dir) {
    return models.reload(dir);
  }

  public String bundleId() {
    return models.bundleId();
  }

  @Override
  public void close() {
    models.close();
  }
}
