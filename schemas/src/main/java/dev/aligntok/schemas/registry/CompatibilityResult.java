package dev.aligntok.schemas.registry;

import java.util.List;

/** Answer of a compatibility check; {@code messages} explain an incompatibility when the registry gives them. */
public record CompatibilityResult(boolean compatible, List<String> messages) {
  public CompatibilityResult {
    messages = List.copyOf(messages);
  }
}
