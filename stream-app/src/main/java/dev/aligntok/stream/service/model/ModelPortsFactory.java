package dev.aligntok.stream.service.model;

import dev.aligntok.stream.service.config.GenerateSettings;
import dev.aligntok.stream.service.config.ModelSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.stream.runtime.BundleModels;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Locale;

/** Where the service gets its model. */
@Factory
public class ModelPortsFactory {

  /**
   * Opens the bundle at {@code aligntok.model.bundle-path} with the configured providers (default
   * TensorRT → CUDA → CPU, falling back as each proves unavailable) behind the runtime adapters.
   */
  @Singleton
  @Bean(preDestroy = "close")
  ModelPorts modelPorts(ModelSettings model, TokenizeSettings tokenize, GenerateSettings generate) {
    if (model.bundlePath() == null) {
      throw new IllegalStateException("aligntok.model.bundle-path is not set (environment: ALIGNTOK_MODEL_BUNDLE_PATH): "
          + "point it at a model bundle directory, e.g. models/emoji-default-bundle");
    }
    RuntimeOptions options = RuntimeOptions.defaults().withThreads(model.intraOpThreads(), 0);
    if (!model.providers().isEmpty()) {
      options = options.withProviders(model.providers().stream().map(ModelPortsFactory::provider).toList());
    }
    return new ModelPorts(BundleModels.load(Path.of(model.bundlePath()), options), tokenize.enabled(),
        generate.enabled());
  }

  private static ExecutionProvider provider(String name) {
    try {
      return ExecutionProvider.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("aligntok.model.providers: unknown execution provider '" + name + "'; use "
          + java.util.Arrays.toString(ExecutionProvider.values()), e);
    }
  }
}
