package dev.aligntok.stream.service.config;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;

/**
 * Client properties handed verbatim to Kafka ({@code aligntok.kafka.properties.*}) and to the
 * registry client ({@code aligntok.registry.properties.*}). Their keys contain dots
 * ({@code security.protocol}), which configuration binding would split into nested names, so they
 * are read raw from the environment and joined back.
 */
@Singleton
public final class PassThroughProperties {
  public static final String KAFKA = "aligntok.kafka.properties";
  public static final String REGISTRY = "aligntok.registry.properties";

  private final Environment environment;

  public PassThroughProperties(Environment environment) {
    this.environment = environment;
  }

  public Map<String, String> kafka() {
    return under(KAFKA);
  }

  public Map<String, String> registry() {
    return under(REGISTRY);
  }

  private Map<String, String> under(String prefix) {
    Map<String, String> flat = new TreeMap<>();
    flatten("", environment.getProperties(prefix, StringConvention.RAW), flat);
    return Map.copyOf(flat);
  }

  private static void flatten(String path, Map<?, ?> values, Map<String, String> into) {
    values.forEach((key, value) -> {
      String name = path.isEmpty() ? key.toString() : path + "." + key;
      if (value instanceof Map<?, ?> nested) {
        flatten(name, nested, into);
      } else if (value != null) {
        into.put(name, value.toString());
      }
    });
  }
}
