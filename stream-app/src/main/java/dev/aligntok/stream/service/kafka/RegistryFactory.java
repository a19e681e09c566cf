package dev.aligntok.stream.service.kafka;

import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.service.config.PassThroughProperties;
import dev.aligntok.stream.service.config.RegistrySettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The schema-registry client and the event serdes built on it, from {@code aligntok.registry.*}. */
@Factory
public class RegistryFactory {
  @Singleton
  @Bean(preDestroy = "close")
  SchemaRegistryClient schemaRegistryClient(RegistrySettings settings, PassThroughProperties passThrough) {
    return CachedSchemaRegistryClient.create(
        RegistryClientConfig.fromProperties(settings.clientProperties(passThrough.registry())));
  }

  @Singleton
  EventSerdes eventSerdes(SchemaRegistryClient registry, RegistrySettings settings, PassThroughProperties passThrough) {
    return new EventSerdes(registry, AvroSerdeConfig.fromProperties(settings.clientProperties(passThrough.registry())));
  }
}
