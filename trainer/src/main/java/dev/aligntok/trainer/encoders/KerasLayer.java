package dev.aligntok.trainer.encoders;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer of a Keras functional model's topology: its name, class, config and the layers it
 * reads from. The accessors fail with the layer and field named, so a model that differs from
 * what a port expects says where.
 */
public record KerasLayer(String name, String className, JsonNode config, List<String> inbound) {
  public KerasLayer {
    inbound = List.copyOf(inbound);
  }

  static KerasLayer fromJson(JsonNode node, String source) {
    String name = node.path("name").asText(node.path("config").path("name").asText(null));
    String className = node.path("class_name").asText(null);
    if (name == null || className == null || !node.path("config").isObject()) {
      throw new IllegalArgumentException(source + ": layer without name, class_name or config: " + abbreviate(node));
    }
    List<String> inbound = new ArrayList<>();
    for (JsonNode callNode : node.path("inbound_nodes")) {
      // Keras 2: [[["layer", nodeIndex, tensorIndex, {kwargs}], ...]]; Keras 3 uses dicts, which we do not read.
      for (JsonNode tensor : callNode) {
        if (!tensor.isArray() || !tensor.path(0).isTextual()) {
          throw new IllegalArgumentException(source + ": layer " + name + " has an inbound node in an unsupported format: " + callNode);
        }
        inbound.add(tensor.get(0).asText());
      }
    }
    return new KerasLayer(name, className, node.get("config"), inbound);
  }

  /** Fails unless this is a {@code className} layer. */
  public KerasLayer requireClass(String expected) {
    if (!className.equals(expected)) {
      throw mismatch("is a " + className + ", expected a " + expected);
    }
    return this;
  }

  public String text(String field) {
    JsonNode value = config.get(field);
    if (value == null || !value.isTextual()) {
      throw mismatch("has no text field '" + field + "'");
    }
    return value.asText();
  }

  public double number(String field) {
    JsonNode value = config.get(field);
    if (value == null || !value.isNumber()) {
      throw mismatch("has no numeric field '" + field + "'");
    }
    return value.asDouble();
  }

  /** A number, or {@code fallback} when the field is absent or null (Keras writes optional fields as null). */
  public double number(String field, double fallback) {
    JsonNode value = config.get(field);
    return value == null || value.isNull() ? fallback : number(field);
  }

  public boolean flag(String field, boolean fallback) {
    JsonNode value = config.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw mismatch("field '" + field + "' is not a boolean: " + value);
    }
    return value.asBoolean();
  }

  /** An integer list such as {@code strides: [2, 2]}; nested lists are flattened ({@code [[0,1],[0,1]]} → 0,1,0,1). */
  public int[] ints(String field) {
    JsonNode value = config.get(field);
    if (value == null || !(value.isArray() || value.isInt())) {
      throw mismatch("has no integer list '" + field + "'");
    }
    List<Integer> out = new ArrayList<>();
    flatten(value, out, field);
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private void flatten(JsonNode node, List<Integer> out, String field) {
    if (node.isArray()) {
      node.forEach(child -> flatten(child, out, field));
    } else if (node.isIntegralNumber()) {
      out.add(node.asInt());
    } else {
      throw mismatch("field '" + field + "' holds a non-integer " + node);
    }
  }

  /** An error naming this layer: "layer X (Conv2D) {what}". */
  public IllegalArgumentException mismatch(String what) {
    return new IllegalArgumentException("layer " + name + " (" + className + ") " + what);
  }

  private static String abbreviate(JsonNode node) {
    String text = node.toString();
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
