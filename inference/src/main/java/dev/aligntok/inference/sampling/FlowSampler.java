package dev.aligntok.inference.sampling;

import dev.aligntok.inference.cancel.Cancellation;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Rectified-flow sampling: {@code z_t = (1−t)·z0 + t·ε}, the model predicts {@code v = ε − z0} =
 * dz/dt, and a sample is the ODE integrated from noise at t = 1 down to data at t = 0 over
 * {@link TimeSchedule#times}. Talks to the network only through {@link VelocityField}, so training
 * (DJL) and serving (ONNX Runtime) share this one implementation.
 *
 * <p>Classifier-free guidance: while {@link SamplerSettings#guidanceActiveAt} the time of an
 * evaluation, the n conditional rows and n unconditional rows (class {@code nullClass}) go to the
 * model in one call of 2n rows, conditional first, and {@code v = v_u + w·(v_c − v_u)}; outside the
 * interval only the n conditional rows are evaluated.
 *
 * <p>Inside a {@link Cancellation} scope, a cancelled run stops before its next step. A
 * {@link RowCancellation} stops single rows instead: the others go on.
 *
 * <p>Arithmetic is float, in a fixed order, so the same inputs give bit-identical outputs. Rows are
 * independent unless the model mixes them.
 */
public final class FlowSampler {
  private final VelocityField model;

  public FlowSampler(VelocityField model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    this.model = model;
  }

  /**
   * Integrates each row of {@code noise} (n × dim, row-major) from t = 1 to t = 0 under class
   * {@code classes[i]}. The input array is not modified.
   *
   * @return n × dim latents
   * @throws IllegalArgumentException for inconsistent sizes or non-finite noise
   * @throws IllegalStateException if the model returns the wrong number of values or a non-finite one
   */
  public float[] sample(float[] noise, int[] classes, int nullClass, int n, int dim, SamplerSettings settings) {
    return sample(noise, classes, nullClass, n, dim, settings, RowCancellation.NONE).latents();
  }

  /**
   * As {@link #sample(float[], int[], int, int, int, SamplerSettings)}, and before each step asks
   * {@code cancellation} about every row still running: a cancelled row stops there and is left out
   * of every later model call, while the other rows go on exactly as they would have (each row's
   * arithmetic is its own; only the model's batch gets smaller). When every row is cancelled the run
   * ends early.
   */
  public SampledRows sample(float[] noise, int[] classes, int nullClass, int n, int dim, SamplerSettings settings,
                            RowCancellation cancellation) {
    Run run = start(noise, classes, nullClass, n, dim, settings, cancellation);
    run.advance(() -> false);
    return run.result();
  }

  /**
   * The same sampling as {@link #sample(float[], int[], int, int, int, SamplerSettings, RowCancellation)},
   * taken a few steps at a time ({@link Run#advance}): a caller can report progress or let other work
   * in between. Run to its end it gives bit-identical results: it is the one step loop.
   */
  public Run start(float[] noise, int[] classes, int nullClass, int n, int dim, SamplerSettings settings,
                   RowCancellation cancellation) {
    if (cancellation == null) {
      throw new IllegalArgumentException("cancellation must not be null (use RowCancellation.NONE)");
    }
    if (n <= 0) {
      throw new IllegalArgumentException("n must be > 0, got " + n);
    }
    if (dim <= 0) {
      throw new IllegalArgumentException("dim must be > 0, got " + dim);
    }
    if (2L * n * dim > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("n × dim is too large for a guided batch: n " + n + ", dim " + dim);
    }
    if (noise == null || noise.length != n * dim) {
      throw new IllegalArgumentException("noise must have n × dim = " + n * dim + " values, got "
          + (noise == null ? "null" : noise.length));
    }
    if (classes == null || classes.length != n) {
      throw new IllegalArgumentException("classes must have n = " + n + " values, got "
          + (classes == null ? "null" : classes.length));
    }
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    for (int i = 0; i < noise.length; i++) {
      if (!Float.isFinite(noise[i])) {
        throw new IllegalArgumentException("noise must be finite, got " + noise[i] + " at index " + i);
      }
    }
    return new Run(noise, classes, nullClass, n, dim, settings, cancellation);
  }

  /**
   * One sampling run in progress: its latents, step and live rows are held here between
   * {@link #advance} calls (in memory only).
   */
  public final class Run {
    private final int[] classes;
    private final int nullClass;
    private final int n;
    private final int dim;
    private final SamplerSettings settings;
    private final RowCancellation cancellation;
    private final float[] times;
    private final float[] out;
    private final int[] stepsRun;
    private float[] z;
    private int[] live; // live[p] = the input row at position p of z
    private Evaluator evaluator;
    private int step;
    private boolean ended;

    private Run(float[] noise, int[] classes, int nullClass, int n, int dim, SamplerSettings settings,
                RowCancellation cancellation) {
      this.classes = classes.clone();
      this.nullClass = nullClass;
      this.n = n;
      this.dim = dim;
      this.settings = settings;
      this.cancellation = cancellation;
      this.times = TimeSchedule.times(settings.steps(), settings.shift());
      this.z = noise.clone();
      this.out = new float[n * dim];
      this.stepsRun = new int[n];
      this.live = new int[n];
      for (int i = 0; i < n; i++) {
        live[i] = i;
      }
      this.evaluator = new Evaluator(classes, nullClass, n, dim, settings);
    }

    /**
     * Runs steps until the run is done or, after each step, {@code enough} says to stop (so at
     * least one step runs while any is left). Rows are asked about cancellation before each step.
     */
    public void advance(BooleanSupplier enough) {
      while (!done()) {
        stepOnce();
        if (enough.getAsBoolean()) {
          return;
        }
      }
    }

    /** Whether every step has run, or every row was cancelled. */
    public boolean done() {
      return ended || step >= settings.steps();
    }

    /** Steps run so far by the rows still running (0..steps). */
    public int stepsDone() {
      return step;
    }

    /** The rows' latents and steps; only once {@link #done}. */
    public SampledRows result() {
      if (!done()) {
        throw new IllegalStateException("the sampling run is at step " + step + " of " + settings.steps()
            + "; advance it to the end before taking its result");
      }
      float[] latents = out.clone();
      for (int p = 0; p < live.length; p++) {
        System.arraycopy(z, p * dim, latents, live[p] * dim, dim);
      }
      return new SampledRows(latents, stepsRun.clone(), settings.steps());
    }

    private void stepOnce() {
      Cancellation.checkCurrent(); // a watchdog may stop a long sampling run between steps
      int[] kept = stillRunning(live, cancellation);
      if (kept.length != live.length) {
        z = dropRows(z, live, kept, out, dim);
        live = kept;
        if (live.length == 0) {
          ended = true;
          return;
        }
        int[] keptClasses = new int[live.length];
        for (int p = 0; p < live.length; p++) {
          keptClasses[p] = classes[live[p]];
        }
        evaluator = new Evaluator(keptClasses, nullClass, live.length, dim, settings);
      }
      float t = times[step];
      float next = times[step + 1];
      float dt = next - t; // negative: we integrate towards t = 0
      float[] v = evaluator.velocity(z, t, step);
      if (settings.solver() == Solver.EULER || next == 0f) {
        for (int j = 0; j < z.length; j++) {
          z[j] += dt * v[j];
        }
      } else {
        float[] predicted = new float[z.length];
        for (int j = 0; j < z.length; j++) {
          predicted[j] = z[j] + dt * v[j];
        }
        float[] vNext = evaluator.velocity(predicted, next, step);
        for (int j = 0; j < z.length; j++) {
          z[j] += dt * (0.5f * (v[j] + vNext[j]));
        }
      }
      for (int row : live) {
        stepsRun[row]++;
      }
      step++;
    }
  }

  /** The live rows not cancelled now; {@code live} itself when none is (no allocation per step). */
  private static int[] stillRunning(int[] live, RowCancellation cancellation) {
    boolean[] drop = null;
    int dropped = 0;
    for (int p = 0; p < live.length; p++) {
      if (cancellation.cancelled(live[p])) {
        if (drop == null) {
          drop = new boolean[live.length];
        }
        drop[p] = true;
        dropped++;
      }
    }
    if (drop == null) {
      return live;
    }
    int[] kept = new int[live.length - dropped];
    for (int p = 0, k = 0; p < live.length; p++) {
      if (!drop[p]) {
        kept[k++] = live[p];
      }
    }
    return kept;
  }

  /** z of the kept rows only; each dropped row's latent goes to its place in {@code out} as it is now. */
  private static float[] dropRows(float[] z, int[] live, int[] kept, float[] out, int dim) {
    float[] smaller = new float[kept.length * dim];
    for (int p = 0, k = 0; p < live.length; p++) {
      if (k < kept.length && kept[k] == live[p]) {
        System.arraycopy(z, p * dim, smaller, k++ * dim, dim);
      } else {
        System.arraycopy(z, p * dim, out, live[p] * dim, dim);
      }
    }
    return smaller;
  }

  /** One guided or unguided model evaluation, with the model's answer checked. */
  private final class Evaluator {
    private final int[] classes;
    private final int nullClass;
    private final int n;
    private final int dim;
    private final SamplerSettings settings;

    Evaluator(int[] classes, int nullClass, int n, int dim, SamplerSettings settings) {
      this.classes = classes.clone();
      this.nullClass = nullClass;
      this.n = n;
      this.dim = dim;
      this.settings = settings;
    }

    float[] velocity(float[] z, float t, int step) {
      if (!settings.guidanceActiveAt(t)) {
        return call(z.clone(), t, classes.clone(), n, step);
      }
      float[] latents = Arrays.copyOf(z, 2 * z.length);
      System.arraycopy(z, 0, latents, z.length, z.length);
      int[] batchClasses = Arrays.copyOf(classes, 2 * n);
      Arrays.fill(batchClasses, n, 2 * n, nullClass);
      float[] both = call(latents, t, batchClasses, 2 * n, step);
      float w = settings.cfgScale();
      float[] v = new float[z.length];
      for (int j = 0; j < v.length; j++) {
        float conditional = both[j];
        float unconditional = both[z.length + j];
        v[j] = unconditional + w * (conditional - unconditional);
      }
      return v;
    }

    private float[] call(float[] latents, float t, int[] batchClasses, int rows, int step) {
      float[] times = new float[rows];
      Arrays.fill(times, t);
      float[] v = model.velocity(latents, times, batchClasses, rows, dim);
      if (v == null || v.length != rows * dim) {
        throw new IllegalStateException("velocity model returned " + (v == null ? "null" : v.length + " values")
            + " for " + rows + " rows × " + dim + " at step " + step + " (t=" + t + "), expected " + rows * dim);
      }
      for (int j = 0; j < v.length; j++) {
        if (!Float.isFinite(v[j])) {
          throw new IllegalStateException("velocity model returned " + v[j] + " at step " + step + " of "
              + settings.steps() + " (t=" + t + "), row " + j / dim + ", element " + j % dim);
        }
      }
      return v;
    }
  }
}
