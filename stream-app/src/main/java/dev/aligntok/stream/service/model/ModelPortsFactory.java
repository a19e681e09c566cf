package dev.aligntok.stream.service.model;

import dev.aligntok.stream.service.config.GenerateSettings;
import dev.aligntok.stream.service.config.ModelSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Where the service gets its model. */
@Factory
public class ModelPortsFactory {

  /**
   * THE seam to the ONNX runtime adapters. TODO(lead): open the bundle at
   * {@code model.bundlePath()} with the providers {@code model.providers()} through the adapters of
   * {@code dev.aligntok.stream.runtime} (with hot reload) and return them here, an encoder only when
   * {@code tokenize.enabled()} and a generator only when {@code generate.enabled()}. Until then the
   * service cannot start outside tests, which replace this bean.
   */
  @Singleton
  @Bean(preDestroy = "close")
  ModelPorts modelPorts(ModelSettings model, TokenizeSettings tokenize, GenerateSettings generate) {
    throw new UnsupportedOperationException("no model adapter is wired yet: ModelPortsFactory.modelPorts must open "
        + "the bundle at " + model.bundlePath() + " through dev.aligntok.stream.runtime");
  }
}
