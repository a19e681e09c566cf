package dev.aligntok.stream.service;

import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.service.kafka.RegistryFactory;
import dev.aligntok.stream.service.model.ModelPorts;
import dev.aligntok.stream.service.model.ModelPortsFactory;
import dev.aligntok.stream.testing.ChannelMeanEncoder;
import dev.aligntok.stream.testing.ClassColourGenerator;
import dev.aligntok.stream.testing.InProcessSchemaRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Replaces the model (not wired to the ONNX runtime yet) with the topology tests' doubles, and the
 * schema registry with the in-process one (stream-app has no real registry; the tests module runs
 * Apicurio). Kafka is real. Active only in contexts started with {@value #PROPERTY}=true.
 */
@Factory
@Requires(property = ServiceTestDoubles.PROPERTY, value = "true")
public class ServiceTestDoubles {
  static final String PROPERTY = "aligntok.test.doubles";
  static final String PROVIDER = "test-double";

  @Singleton
  @Replaces(value = ModelPorts.class, factory = ModelPortsFactory.class)
  ModelPorts modelPorts() {
    LatentEncoderPort encoder = new ChannelMeanEncoder();
    ImageGeneratorPort generator = new ClassColourGenerator();
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
