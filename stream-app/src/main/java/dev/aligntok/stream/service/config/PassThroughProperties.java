package dev.aligntok.stream.service.config;

import io.micronaut.context.env.Environment;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client properties handed verbatim to Kafka ({@code aligntok.kafka.properties.*}) and to the
 * registry client ({@code aligntok.registry.properties.*}). Their keys contain dots
 * ({@code security.protocol}), which configuration binding would split into nested names, so they
 * are read as flat names under the prefix. Micronaut cannot list environment variables under a
 * prefix, so those are read here: {@code ALIGNTOK_KAFKA_PROPERTIES_SASL_JAAS_CONFIG} sets
 * {@code sasl.jaas.config} (Kafka and registry property names have no underscores, so the mapping
 * is unambiguous) and wins over configuration files, as environment variables do in Micronaut.
 */
@Singleton
public final class PassThroughProperties {
  public static final String KAFKA = "aligntok.kafka.properties";
  public static final String REGISTRY = "aligntok.registry.properties";

  private final Environment environment;
  private final Map<String, String> environmentVariables;

  @Inject
  public PassThroughProperties(Environment environment) {
    this(environment, System.getenv());
  }

  PassThroughProperties(Environment environment, Map<String, String> environmentVariables) {
    this.environment = environment;
    this.environmentVariables = environmentVariables;
  }

  public Map<String, String> kafka() {
    return under(KAFKA);
  }

  public Map<String, String> registry() {
    return under(REGISTRY);
  }

  private Map<String, String> under(String prefix) {
    Map<String, String> properties = new TreeMap<>();
    environment.getProperties(prefix).forEach((key, value) -> {
      if (value != null && !(value instanceof Map)) {
        properties.put(key, value.toString());
      }
    });
    String variablePrefix = prefix.toUpperCase(Locale.ROOT).replace('.', '_') + "_";
    environmentVariables.forEach((name, value) -> {
      if (name.startsWith(variablePrefix) && name.length() > variablePrefix.length()) {
        properties.put(name.substring(variablePrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
      }
    });
    return Map.copyOf(properties);
  }
}
