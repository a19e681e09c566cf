package dev.aligntok.trainer.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Map;

/** Copies a DJL block's own parameters ({@code weight}, {@code bias}) into a name map under a prefix. */
public final class DirectParameters {
  private DirectParameters() {}

  public static void put(Map<String, Parameter> into, String prefix, Block block) {
    for (Pair<String, Parameter> pair : block.getDirectParameters()) {
      into.put(prefix + pair.getKey(), pair.getValue());
    }
  }
}
