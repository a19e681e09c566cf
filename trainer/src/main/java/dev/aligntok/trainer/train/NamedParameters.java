package dev.aligntok.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of named networks under stable names ({@code <network>/<djl parameter path>}),
 * the keys used in checkpoints, optimizer state and EMA.
 */
public final class NamedParameters {
  private final Map<String, Parameter> parameters;

  private NamedParameters(Map<String, Parameter> parameters) {
    this.parameters = Collections.unmodifiableMap(parameters);
  }

  /** Parameters of each network, in the order given; blocks must be initialised. */
  public static NamedParameters of(Map<String, Block> networks) {
    Map<String, Parameter> all = new LinkedHashMap<>();
    networks.forEach((networkName, block) -> {
      for (Pair<String, Parameter> pair : block.getParameters()) {
        if (!pair.getValue().isInitialized()) {
          throw new IllegalStateException("parameter " + networkName + "/" + pair.getKey() + " is not initialised");
        }
        all.put(networkName + "/" + pair.getKey(), pair.getValue());
      }
    });
    return new NamedParameters(all);
  }

  public Map<String, Parameter> asMap() {
    return parameters;
  }

  /** Current arrays by name. */
  public Map<String, NDArray> arrays() {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    parameters.forEach((name, parameter) -> arrays.put(name, parameter.getArray()));
    return arrays;
  }

  /** Arrays of the parameters that are trained (those that require a gradient). */
  public Map<String, NDArray> trainable() {
    Map<String, NDArray> arrays = new LinkedHashMap<>();
    parameters.forEach((name, parameter) -> {
      if (parameter.requiresGradient()) {
        arrays.put(name, parameter.getArray());
      }
    });
    return arrays;
  }

  /** Only the parameters whose name starts with {@code network + "/"}. */
  public NamedParameters network(String network) {
    Map<String, Parameter> subset = new LinkedHashMap<>();
    parameters.forEach((name, parameter) -> {
      if (name.startsWith(network + "/")) {
        subset.put(name, parameter);
      }
    });
    return new NamedParameters(subset);
  }

  /** Freezes or unfreezes every parameter (frozen ones get no gradient and are not updated). */
  public void freeze(boolean frozen) {
    parameters.values().forEach(p -> p.freeze(frozen));
  }
}
