package dev.aligntok.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exponential moving average of parameters, {@code shadow ← d·shadow + (1 − d)·weight}, kept in
 * its own manager; evaluation and export use the shadow weights.
 */
public final class Ema implements AutoCloseable {
  private final float decay;
  private final NDManager manager;
  private final Map<String, NDArray> shadow = new LinkedHashMap<>();

  public Ema(float decay, Map<String, NDArray> weights, NDManager parent) {
    if (decay < 0 || decay >= 1) {
      throw new IllegalArgumentException("EMA decay must be in [0, 1), got " + decay);
    }
    this.decay = decay;
    this.manager = parent.newSubManager();
    weights.forEach((name, weight) -> shadow.put(name, copy(weight)));
  }

  /**
   * A decay whose time constant is a tenth of the run ({@code 1 − 10/steps}, at most 0.9999), so the
   * averaged weights come from the end of a short run rather than its start.
   */
  public static float decayFor(long steps) {
    return (float) Math.max(0.0, Math.min(0.9999, 1.0 - 10.0 / steps));
  }

  public void update(Map<String, NDArray> weights) {
    weights.forEach((name, weight) -> {
      NDArray average = shadow.get(name);
      if (average == null) {
        throw new IllegalArgumentException("EMA has no parameter named " + name);
      }
      try (NDManager scope = manager.newSubManager()) {
        NDArray step = weight.mul(1 - decay);
        step.attach(scope);
        average.muli(decay).addi(step);
      }
    });
  }

  /** Overwrites {@code weights} with the averaged values (for evaluation or export). */
  public void copyTo(Map<String, NDArray> weights) {
    weights.forEach((name, weight) -> weight.set(shadow.get(name).toByteBuffer()));
  }

  public NDList state() {
    NDList state = new NDList();
    shadow.forEach((name, array) -> {
      array.setName(name);
      state.add(array);
    });
    return state;
  }

  public void restore(NDList state) {
    for (NDArray array : state) {
      NDArray average = shadow.get(array.getName());
      if (average == null) {
        throw new IllegalArgumentException("EMA checkpoint holds unknown parameter " + array.getName());
      }
      average.set(array.toByteBuffer());
    }
  }

  private NDArray copy(NDArray weight) {
    NDArray copy = weight.duplicate();
    copy.attach(manager);
    return copy;
  }

  @Override
  public void close() {
    manager.close();
  }
}
