package dev.aligntok.schemas.registry;

import java.util.Map;
import java.util.Optional;

/** Typed access to a Kafka-style configuration map, with errors that name the property. */
public final class PropertyReader {
  private final Map<String, ?> props;

  public PropertyReader(Map<String, ?> props) {
    this.props = props;
  }

  public Optional<String> optional(String key) {
    Object value = props.get(key);
    if (value == null) {
      return Optional.empty();
    }
    String text = value instanceof org.apache.kafka.common.config.types.Password
        ? ((org.apache.kafka.common.config.types.Password) value).value()
        : value.toString().strip();
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  public String required(String key) {
    return optional(key).orElseThrow(() -> new IllegalArgumentException("missing required property " + key));
  }

  public long longValue(String key, long defaultValue) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(text.get());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("property " + key + " must be an integer, got '" + text.get() + "'", e);
    }
  }

  public boolean booleanValue(String key, boolean defaultValue) {
    Optional<String> text = optional(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("property " + key + " must be true or false, got '" + text.get() + "'");
    }
  }
}
