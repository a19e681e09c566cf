package dev.aligntok.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * AdamW (decoupled weight decay) whose moment estimates are ours, so they can be saved in a
 * checkpoint and restored exactly (DJL's optimizers keep theirs private). Updates in place,
 * outside any gradient collector. Moments live in the optimizer's own manager.
 */
public final class AdamW implements AutoCloseable {
  /** Hyper-parameters; {@code learningRate} may change per step through {@link #step}. */
  public record Settings(float beta1, float beta2, float epsilon, float weightDecay) {
    public static final Settings DEFAULT = new Settings(0.9f, 0.999f, 1e-8f, 0.0f);

    public Settings {
      if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1) {
        throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
      }
      if (epsilon <= 0 || weightDecay < 0) {
        throw new IllegalArgumentException("AdamW needs epsilon > 0 and weightDecay >= 0, got " + epsilon + ", " + weightDecay);
      }
    }
  }

  private final Settings settings;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private long steps;

  public AdamW(Settings settings, NDManager parent) {
    this.settings = settings;
    this.manager = parent.newSubManager();
  }

  /**
   * Applies one update to every named parameter that has a gradient, then zeroes that gradient:
   * libtorch accumulates gradients across backward passes and DJL's collector does not reset them.
   */
  public void step(Map<String, NDArray> parameters, float learningRate) {
    step(parameters, name -> learningRate);
  }

  /** {@link #step(Map, float)} with a learning rate per parameter name (e.g. a slower pretrained encoder). */
  public void step(Map<String, NDArray> parameters, ToDoubleFunction<String> learningRates) {
    steps++;
    float correction1 = (float) (1 - Math.pow(settings.beta1(), steps));
    float correction2 = (float) (1 - Math.pow(settings.beta2(), steps));
    for (Map.Entry<String, NDArray> entry : parameters.entrySet()) {
      NDArray weight = entry.getValue();
      if (!weight.hasGradient()) {
        continue;
      }
      NDArray m = firstMoments.computeIfAbsent(entry.getKey(), k -> zerosLike(weight));
      NDArray v = secondMoments.computeIfAbsent(entry.getKey(), k -> zerosLike(weight));
      try (NDManager scope = manager.newSubManager()) {
        NDArray grad = weight.getGradient();
        grad.attach(scope);
        // results of an op live in its first operand's manager: borrow the long-lived arrays into the
        // scope so every temporary below (m/(1−β1ᵗ), √v̂, …) is freed with it — they leaked before
        scope.tempAttachAll(m, v, weight);
        m.muli(settings.beta1()).addi(grad.mul(1 - settings.beta1()));
        v.muli(settings.beta2()).addi(grad.square().muli(1 - settings.beta2()));
        NDArray update = m.div(correction1).divi(v.div(correction2).sqrt().addi(settings.epsilon()));
        if (settings.weightDecay() > 0) {
          update.addi(weight.mul(settings.weightDecay()));
        }
        weight.subi(update.muli((float) learningRates.applyAsDouble(entry.getKey())));
        grad.muli(0);
      }
    }
  }

  public long steps() {
    return steps;
  }

  /** Moments as named arrays ({@code m.<name>}, {@code v.<name>}) for a checkpoint. */
  public NDList state() {
    NDList state = new NDList();
    firstMoments.forEach((name, m) -> state.add(named(m, "m." + name)));
    secondMoments.forEach((name, v) -> state.add(named(v, "v." + name)));
    return state;
  }

  /** Restores moments saved by {@link #state()} and the step count. */
  public void restore(NDList state, long restoredSteps) {
    for (NDArray array : state) {
      String name = array.getName();
      NDArray copy = array.duplicate();
      copy.attach(manager);
      if (name.startsWith("m.")) {
        firstMoments.put(name.substring(2), copy);
      } else if (name.startsWith("v.")) {
        secondMoments.put(name.substring(2), copy);
      } else {
        throw new IllegalArgumentException("optimizer state holds an array named '" + name + "', expected m.* or v.*");
      }
    }
    this.steps = restoredSteps;
  }

  private NDArray zerosLike(NDArray weight) {
    return manager.zeros(weight.getShape(), weight.getDataType());
  }

  private static NDArray named(NDArray array, String name) {
    array.setName(name);
    return array;
  }

  @Override
  public void close() {
    manager.close();
  }
}
