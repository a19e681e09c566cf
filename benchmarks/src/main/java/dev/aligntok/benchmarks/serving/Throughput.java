package dev.aligntok.benchmarks.serving;

/**
 * One measured point: {@code batch} items per call, repeated after one warm-up call until at least
 * {@code minSeconds} have passed (and at least twice); the rate is items over the timed calls.
 */
public record Throughput(String operation, String engine, int batch, int calls, double seconds) {
  public double itemsPerSecond() {
    return batch * (double) calls / seconds;
  }

  public double millisecondsPerCall() {
    return 1000 * seconds / calls;
  }

  public static Throughput measure(String operation, String engine, int batch, double minSeconds, Runnable call) {
    call.run(); // warm-up: first-run allocations, lazy session initialisation
    return timed(operation, engine, batch, minSeconds, 2, call);
  }

  /**
   * As {@link #measure} without the warm-up call, for a caller that warmed {@code call} up already,
   * and at least {@code minCalls} calls (1 lets two callers alternate call by call).
   */
  public static Throughput timed(String operation, String engine, int batch, double minSeconds, int minCalls,
                                 Runnable call) {
    int calls = 0;
    long started = System.nanoTime();
    double elapsed;
    do {
      call.run();
      calls++;
      elapsed = (System.nanoTime() - started) / 1e9;
    } while (elapsed < minSeconds || calls < minCalls);
    return new Throughput(operation, engine, batch, calls, elapsed);
  }
}
