package dev.aligntok.stream.service;

import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.service.kafka.RegistryFactory;
import dev.aligntok.stream.service.model.ModelPorts;
import dev.aligntok.stream.service.model.ModelPortsFactory;
import dev.aligntok.stream.runtime.BundleModels;
import dev.aligntok.stream.testing.ForcedKindGenerator;
import dev.aligntok.stream.testing.TinyBundles;
import dev.aligntok.stream.testing.InProcessSchemaRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Serves a tiny real bundle (model-export's analytic fixture, run by the ONNX runtime through the
 * stream app's adapters) with the generator optionally slowed down (see {@link SlowGenerator}),
 * (and its bundle kind optionally forced to free text, see {@value #FORCE_FREE_TEXT}),
 * and the schema registry in-process (stream-app has no real registry; the tests module runs
 * Apicurio). Kafka is real. Active only in contexts started with {@value #PROPERTY}=true.
 */
@Factory
@Requires(property = ServiceTestDoubles.PROPERTY, value = "true")
public class ServiceTestDoubles {
  static final String PROPERTY = "aligntok.test.doubles";
  static final String GENERATE_DELAY = "aligntok.test.generate-delay";
  /** A duration the sampler waits per request per step (default none): a long request however fast the CPU. */
  static final String STEP_DELAY = "aligntok.test.step-delay";
  /**
   * True: the generator port says its bundle takes free text (the HTTP API and admission treat it
   * as a text bundle) while its leases and generation stay the real class bundle's.
   */
  static final String FORCE_FREE_TEXT = "aligntok.test.force-free-text";
  /** Where the tiny bundle is written, once per JVM; tests load it again to compute expected results. */
  static final Path BUNDLE = tinyBundle();
  /** One registry for every service in this JVM, as instances of one deployment share theirs. */
  private static final SchemaRegistryClient REGISTRY = new InProcessSchemaRegistry();

  /** The generator, slowed by {@value #GENERATE_DELAY} (a duration, default none) per batch. */
  @Singleton
  SlowGenerator generator(BundleModels models, @Property(name = GENERATE_DELAY, defaultValue = "0s") Duration delay,
                          @Property(name = STEP_DELAY, defaultValue = "0s") Duration stepDelay,
                          @Property(name = FORCE_FREE_TEXT, defaultValue = "false") boolean forceFreeText) {
    ImageGeneratorPort real = models.generator();
    return new SlowGenerator(forceFreeText ? new ForcedKindGenerator(real, true, real.acceptsFreeText()) : real, delay,
        stepDelay);
  }

  @Singleton
  @Bean(preDestroy = "close")
  BundleModels bundleModels() {
    return TinyBundles.load(BUNDLE);
  }

  @Singleton
  @Replaces(value = ModelPorts.class, factory = ModelPortsFactory.class)
  ModelPorts modelPorts(BundleModels models, SlowGenerator generator) {
    // Every topology gets the slowed generator in place of the bundle's own.
    return new ModelPorts(models, true, true, bundleGenerator -> generator);
  }

  @Singleton
  @Replaces(value = SchemaRegistryClient.class, factory = RegistryFactory.class)
  SchemaRegistryClient schemaRegistryClient() {
    return REGISTRY;
  }

  private static Path tinyBundle() {
    try {
      Path dir = Files.createTempDirectory("aligntok-service-test-").resolve("bundle");
      return TinyBundles.write(dir, "service-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
