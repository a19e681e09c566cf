package dev.aligntok.inference.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Which execution provider a bundle's sessions run on, and why each preferred one was skipped
 * (ONNX Runtime's own error text). {@link #summary()} is the line logged when a bundle loads.
 */
public record ProviderSelection(ExecutionProvider provider, Map<ExecutionProvider, String> skipped) {
  public ProviderSelection {
    skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
  }

  public String summary() {
    if (skipped.isEmpty()) {
      return "execution provider " + provider + " (first choice)";
    }
    return "execution provider " + provider + "; skipped " + skipped.entrySet().stream()
        .map(e -> e.getKey() + " (" + e.getValue() + ")")
        .collect(Collectors.joining(", "));
  }
}
