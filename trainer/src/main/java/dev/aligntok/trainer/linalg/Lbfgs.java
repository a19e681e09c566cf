package dev.aligntok.trainer.linalg;

/**
 * Limited-memory BFGS for smooth, unconstrained minimisation in double (Nocedal & Wright,
 * Algorithm 7.4/7.5): two-loop recursion over the last {@code memory} steps, backtracking line
 * search with the Armijo condition, a pair stored only when it has positive curvature (sᵀy > 0),
 * which keeps the implied Hessian positive definite. Deterministic: no randomness, no threads.
 *
 * <p>Stops when the gradient's max-norm is at most {@code gradientTolerance}·max(1, |f|), when an
 * iteration lowers f by less than 1e-12·max(1, |f|) twice in a row, or after {@code maxIterations}.
 * After the first such iteration it forgets its curvature pairs and goes on from steepest descent:
 * one tiny step is as often a stale quasi-Newton model as the objective's rounding floor (a probe
 * fit of issue 22 stopped there with its gradient 3× above tolerance). A minimisation that never
 * stalls takes exactly the same steps as without this restart.
 */
public final class Lbfgs {
  /** f and ∇f at x: writes the gradient into {@code gradient} and returns f. */
  @FunctionalInterface
  public interface Objective {
    double valueAndGradient(double[] x, double[] gradient);
  }

  /** Where it stopped and why. */
  public record Outcome(double[] x, double value, int iterations, int evaluations, String stopReason) {}

  private static final double ARMIJO = 1e-4;
  private static final int MAX_BACKTRACKS = 40;

  private final int memory;
  private final int maxIterations;
  private final double gradientTolerance;

  public Lbfgs(int memory, int maxIterations, double gradientTolerance) {
    if (memory <= 0 || maxIterations <= 0 || !(gradientTolerance > 0)) {
      throw new IllegalArgumentException("L-BFGS needs memory > 0, maxIterations > 0 and tolerance > 0, got " + memory
          + ", " + maxIterations + ", " + gradientTolerance);
    }
    this.memory = memory;
    this.maxIterations = maxIterations;
    this.gradientTolerance = gradientTolerance;
  }

  public Outcome minimize(Objective objective, double[] start) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double f = objective.valueAndGradient(x, g);
    int evaluations = 1;
    requireFinite(f, 0);
    double[][] s = new double[memory][];
    double[][] y = new double[memory][];
    double[] rho = new double[memory];
    int stored = 0;
    int newest = -1;
    double[] direction = new double[n];
    double[] alpha = new double[memory];
    double[] xNew = new double[n];
    double[] gNew = new double[n];
    boolean restarted = false;  // the last iteration stalled and the memory was cleared
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      if (maxAbs(g) <= gradientTolerance * Math.max(1, Math.abs(f))) {
        return new Outcome(x, f, iteration, evaluations, "gradient below tolerance");
      }
      // Two-loop recursion: direction = −H·g.
      System.arraycopy(g, 0, direction, 0, n);
      for (int k = 0; k < stored; k++) {
        int idx = Math.floorMod(newest - k, memory);
        alpha[idx] = rho[idx] * dot(s[idx], direction);
        axpy(-alpha[idx], y[idx], direction);
      }
      double gamma = stored == 0 ? 1.0 / Math.max(1e-12, norm(g)) : dot(s[newest], y[newest]) / dot(y[newest], y[newest]);
      scale(direction, gamma);
      for (int k = stored - 1; k >= 0; k--) {
        int idx = Math.floorMod(newest - k, memory);
        double beta = rho[idx] * dot(y[idx], direction);
        axpy(alpha[idx] - beta, s[idx], direction);
      }
      scale(direction, -1);
      double slope = dot(g, direction);
      if (!(slope < 0)) {
        // Not a descent direction (can only come from rounding): restart from steepest descent.
        stored = 0;
        System.arraycopy(g, 0, direction, 0, n);
        scale(direction, -1.0 / Math.max(1e-12, norm(g)));
        slope = dot(g, direction);
      }
      double step = 1;
      double fNew = Double.NaN;
      boolean accepted = false;
      for (int backtrack = 0; backtrack < MAX_BACKTRACKS; backtrack++) {
        for (int i = 0; i < n; i++) {
          xNew[i] = x[i] + step * direction[i];
        }
        fNew = objective.valueAndGradient(xNew, gNew);
        evaluations++;
        if (Double.isFinite(fNew) && fNew <= f + ARMIJO * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        return new Outcome(x, f, iteration, evaluations, "line search found no decrease");
      }
      int slot = (newest + 1) % memory;
      double[] sNew = new double[n];
      double[] yNew = new double[n];
      for (int i = 0; i < n; i++) {
        sNew[i] = xNew[i] - x[i];
        yNew[i] = gNew[i] - g[i];
      }
      double curvature = dot(sNew, yNew);
      if (curvature > 1e-12 * norm(sNew) * norm(yNew)) {
        s[slot] = sNew;
        y[slot] = yNew;
        rho[slot] = 1 / curvature;
        newest = slot;
        stored = Math.min(stored + 1, memory);
      }
      double decrease = f - fNew;
      System.arraycopy(xNew, 0, x, 0, n);
      System.arraycopy(gNew, 0, g, 0, n);
      f = fNew;
      if (decrease <= 1e-12 * Math.max(1, Math.abs(f))) {
        if (restarted) {
          return new Outcome(x, f, iteration + 1, evaluations, "objective stopped decreasing");
        }
        stored = 0;
        restarted = true;
      } else {
        restarted = false;
      }
    }
    return new Outcome(x, f, maxIterations, evaluations, "iteration limit");
  }

  private static void requireFinite(double f, int iteration) {
    if (!Double.isFinite(f)) {
      throw new ArithmeticException("objective is " + f + " at iteration " + iteration);
    }
  }

  static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static double norm(double[] a) {
    return Math.sqrt(dot(a, a));
  }

  private static double maxAbs(double[] a) {
    double m = 0;
    for (double v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private static void axpy(double a, double[] x, double[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  private static void scale(double[] x, double a) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }
}
