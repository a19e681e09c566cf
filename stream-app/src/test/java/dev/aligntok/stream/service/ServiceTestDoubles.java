package dev.aligntok.stream.service;

import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.service.kafka.RegistryFactory;
import dev.aligntok.stream.service.model.ModelPorts;
import dev.aligntok.stream.service.model.ModelPortsFactory;
import dev.aligntok.stream.testing.ChannelMeanEncoder;
import dev.aligntok.stream.testing.InProcessSchemaRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

/**
 * Replaces the model (not wired to the ONNX runtime yet) with the topology tests' doubles
 * (the generator optionally slowed down, see {@link SlowGenerator}), and the
 * schema registry with the in-process one (stream-app has no real registry; the tests module runs
 * Apicurio). Kafka is real. Active only in contexts started with {@value #PROPERTY}=true.
 */
@Factory
@Requires(property = ServiceTestDoubles.PROPERTY, value = "true")
public class ServiceTestDoubles {
  static final String PROPERTY = "aligntok.test.doubles";
  static final String PROVIDER = "test-double";
  static final String GENERATE_DELAY = "aligntok.test.generate-delay";

  /** The generator double; {@value #GENERATE_DELAY} (a duration, default none) slows every batch down. */
  @Singleton
  SlowGenerator generator(@Property(name = GENERATE_DELAY, defaultValue = "0s") Duration delay) {
    return new SlowGenerator(delay);
  }

  @Singleton
  @Replaces(value = ModelPorts.class, factory = ModelPortsFactory.class)
  ModelPorts modelPorts(SlowGenerator generator) {
    LatentEncoderPort encoder = new ChannelMeanEncoder();
    return new ModelPorts() {
      @Override
      public Optional<LatentEncoderPort> encoder() {
        return Optional.of(encoder);
      }

      @Override
      public Optional<ImageGeneratorPort> generator() {
        return Optional.of(generator);
      }

      @Override
      public boolean loaded() {
        return true;
      }

      @Override
      public String provider() {
        return PROVIDER;
      }
    };
  }

  @Singleton
  @Replaces(value = SchemaRegistryClient.class, factory = RegistryFactory.class)
  SchemaRegistryClient schemaRegistryClient() {
    return new InProcessSchemaRegistry();
  }
}
