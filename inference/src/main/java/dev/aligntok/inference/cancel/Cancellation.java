package dev.aligntok.inference.cancel;

import java.util.ArrayList;
import java.util.List;

/**
 * A cancellable scope for the model calls one thread makes: a caller {@link #open opens} it around a
 * batch, another thread (a watchdog) may {@link #cancel} it, and the model code running on the
 * scope's thread stops at the next chance: the sampler between steps ({@link #checkCurrent}), a
 * running ONNX Runtime session through its terminate flag ({@link #onCancel}). Code that runs outside
 * any scope (training, tools) is unaffected: every check is then a no-op.
 */
public final class Cancellation implements AutoCloseable {
  private static final ThreadLocal<Cancellation> CURRENT = new ThreadLocal<>();

  private final Thread owner;
  private final Object lock = new Object();
  private final List<Runnable> hooks = new ArrayList<>();
  private volatile String reason;
  private int failedHooks;

  private Cancellation(Thread owner) {
    this.owner = owner;
  }

  /**
   * Opens a scope on the calling thread; close it on the same thread.
   *
   * @throws IllegalStateException when the thread already has an open scope
   */
  public static Cancellation open() {
    if (CURRENT.get() != null) {
      throw new IllegalStateException("thread " + Thread.currentThread().getName() + " already has an open cancellation scope");
    }
    Cancellation scope = new Cancellation(Thread.currentThread());
    CURRENT.set(scope);
    return scope;
  }

  /** The calling thread's open scope, or null. */
  public static Cancellation current() {
    return CURRENT.get();
  }

  /** Throws {@link CancelledException} when the calling thread's scope has been cancelled; no-op without a scope. */
  public static void checkCurrent() {
    Cancellation scope = CURRENT.get();
    if (scope != null) {
      scope.throwIfCancelled();
    }
  }

  /**
   * Cancels the scope (from any thread): runs every registered hook once, and later checks throw.
   * Only the first reason counts.
   */
  public void cancel(String why) {
    synchronized (lock) {
      if (reason != null) {
        return;
      }
      reason = why == null ? "cancelled" : why;
      for (Runnable hook : hooks) {
        try {
          hook.run();
        } catch (RuntimeException e) {
          failedHooks++; // the other hooks still run; the next check on the owner thread still throws
        }
      }
    }
  }

  public boolean isCancelled() {
    return reason != null;
  }

  /** Hooks that threw when the scope was cancelled (for tests and logs). */
  public int failedHooks() {
    synchronized (lock) {
      return failedHooks;
    }
  }

  /** Why it was cancelled, or null. */
  public String reason() {
    return reason;
  }

  public void throwIfCancelled() {
    String why = reason;
    if (why != null) {
      throw new CancelledException(why, null);
    }
  }

  /**
   * Registers {@code hook} to run when the scope is cancelled (at once if it already is) until the
   * returned registration is closed. Hooks run under a lock that closing the registration also takes,
   * so once {@code close()} returns the hook is not running and never will: the native handle it
   * touches may then be freed.
   */
  public Registration onCancel(Runnable hook) {
    synchronized (lock) {
      if (reason != null) {
        hook.run();
      }
      hooks.add(hook);
    }
    return () -> {
      synchronized (lock) {
        hooks.remove(hook);
      }
    };
  }

  /** Ends the scope; only on the thread that opened it. */
  @Override
  public void close() {
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException("a cancellation scope must be closed on the thread that opened it (" + owner.getName() + ")");
    }
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }

  /** A hook's registration; closing it removes the hook. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
