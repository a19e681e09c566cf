package dev.aligntok.stream.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.env.DefaultEnvironment;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Client properties with dotted keys come through verbatim, from YAML-style maps and environment variables. */
class PassThroughPropertiesTest {
  @Test
  void nestedAndFlatKeysAreJoinedBackVerbatim() {
    Environment environment = environment(PropertySource.of("yml", Map.of(
        "aligntok.kafka.properties", Map.of("security.protocol", "SASL_SSL", "sasl", Map.of("mechanism", "PLAIN")),
        "aligntok.kafka.properties.num.stream.threads", 2,
        "aligntok.registry.properties.auto.register.schemas", "false")));
    PassThroughProperties passThrough = new PassThroughProperties(environment, Map.of());
    assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "PLAIN", "num.stream.threads", "2"),
        passThrough.kafka());
    assertEquals(Map.of("auto.register.schemas", "false"), passThrough.registry());
  }

  @Test
  void environmentVariablesBecomeDottedNamesAndWin() {
    Environment environment = environment(PropertySource.of("yml", Map.of(
        "aligntok.kafka.properties.security.protocol", "PLAINTEXT")));
    Map<String, String> variables = Map.of(
        "ALIGNTOK_KAFKA_PROPERTIES_SECURITY_PROTOCOL", "SSL",
        "ALIGNTOK_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "module required;",
        "ALIGNTOK_REGISTRY_PROPERTIES_SCHEMA_REGISTRY_SSL_TRUSTSTORE_LOCATION", "/etc/trust.jks",
        "ALIGNTOK_KAFKA_BOOTSTRAP_SERVERS", "not-a-pass-through:9092");
    PassThroughProperties passThrough = new PassThroughProperties(environment, variables);
    assertEquals(Map.of("security.protocol", "SSL", "sasl.jaas.config", "module required;"), passThrough.kafka());
    assertEquals(Map.of("schema.registry.ssl.truststore.location", "/etc/trust.jks"), passThrough.registry());
  }

  private static Environment environment(PropertySource source) {
    DefaultEnvironment environment = new DefaultEnvironment(() -> List.of("test"));
    environment.addPropertySource(source);
    environment.start();
    return environment;
  }
}
