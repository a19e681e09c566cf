package dev.aligntok.stream.runtime;

import dev.aligntok.inference.bundle.ModelBundle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle in service, swappable while batches run. A batch {@link #lease leases} the current
 * bundle and uses that one throughout; {@link #swap} makes a new bundle current at once, and the old
 * one is closed when its last lease ends. Reference counts, not locks: a swap never waits for a batch
 * and a batch never waits for a swap.
 */
final class BundleSlot implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BundleSlot.class);

  private final AtomicReference<Counted> current;

  BundleSlot(ModelBundle bundle) {
    this.current = new AtomicReference<>(new Counted(bundle));
  }

  /** The current bundle, held open until the lease is closed. */
  Lease lease() {
    while (true) {
      Counted counted = current.get();
      if (counted == null) {
        throw new IllegalStateException("the model bundle has been closed; the service is shutting down");
      }
      if (counted.retain()) {
        return new Lease(counted);
      }
      // Retired and closed between get() and retain(): its successor is already current.
    }
  }

  /**
   * The current bundle, unleased: only for its plain data (id, manifest, labels, sampler defaults),
   * which stays readable after the bundle's sessions are closed.
   */
  ModelBundle peek() {
    Counted counted = current.get();
    if (counted == null) {
      throw new IllegalStateException("the model bundle has been closed; the service is shutting down");
    }
    return counted.bundle;
  }

  /** Makes {@code next} current; returns the bundle it replaced, which closes after its last lease. */
  ModelBundle swap(ModelBundle next) {
    Counted old = current.getAndUpdate(c -> c == null ? null : new Counted(next));
    if (old == null) {
      next.close();
      throw new IllegalStateException("the model bundle has been closed; " + next.directory() + " was not swapped in");
    }
    old.release();
    return old.bundle;
  }

  /** Closes the current bundle once batches still using it finish; later leases fail. */
  @Override
  public void close() {
    Counted last = current.getAndSet(null);
    if (last != null) {
      last.release();
    }
  }

  /** One batch's hold on a bundle. */
  static final class Lease implements AutoCloseable {
    private final Counted counted;
    private final AtomicBoolean released = new AtomicBoolean();

    private Lease(Counted counted) {
      this.counted = counted;
    }

    ModelBundle bundle() {
      return counted.bundle;
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        counted.release();
      }
    }
  }

  /** A bundle and its holders: the slot itself while it is current, plus one per open lease. */
  private static final class Counted {
    private final ModelBundle bundle;
    private final AtomicInteger holders = new AtomicInteger(1);

    Counted(ModelBundle bundle) {
      this.bundle = bundle;
    }

    /** False once the count has reached zero: a closed bundle is never handed out again. */
    boolean retain() {
      while (true) {
        int n = holders.get();
        if (n == 0) {
          return false;
        }
        if (holders.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (holders.decrementAndGet() == 0) {
        bundle.close();
        log.info("Closed model bundle {} ({})", bundle.id(), bundle.directory());
      }
    }
  }
}
