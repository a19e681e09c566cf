package dev.aligntok.stream.batch;

import dev.aligntok.inference.cancel.CancelledException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batched model call so that a model error fails only the items that fail alone: the whole
 * batch is tried, then once more (a transient error), then split in halves, each half tried and
 * split again while it fails, down to single items. With one bad item in n that is
 * 2 + 2·⌈log2 n⌉ calls; at most {@link #maxCalls} in any case, after which the items not yet tried
 * fail with the last error. A {@link CancelledException} (the watchdog) is not a model error: it
 * ends the whole run. So do {@link Error}s, which are never caught.
 *
 * @param <T> an item (a request, an image)
 * @param <R> what one call returns for the items it was given
 */
public final class Bisection<T, R> {
  private static final Logger LOG = LoggerFactory.getLogger(Bisection.class);

  /** The model call. */
  @FunctionalInterface
  public interface Call<T, R> {
    R apply(List<T> items);
  }

  /** Emits the outcomes of items whose call succeeded; exceptions from it are not model errors. */
  @FunctionalInterface
  public interface Success<T, R> {
    void accept(List<T> items, R result);
  }

  /** Emits the outcome of an item that failed alone (or was left untried). */
  @FunctionalInterface
  public interface Failure<T> {
    void accept(T item, RuntimeException error);
  }

  private final Call<T, R> call;
  private final Success<T, R> success;
  private final Failure<T> failure;
  private final String what;
  private int calls;
  private int budget;

  /** @param what names the batch in logs, for example "generate batch" */
  public Bisection(String what, Call<T, R> call, Success<T, R> success, Failure<T> failure) {
    this.what = what;
    this.call = call;
    this.success = success;
    this.failure = failure;
  }

  /** Most model calls for n items: n + 2·⌈log2 n⌉ + 1. */
  public static int maxCalls(int n) {
    int log = n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    return n + 2 * log + 1;
  }

  /** Runs {@code items} (never empty); returns how many model calls it took. */
  public int run(List<T> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException(what + ": nothing to run");
    }
    calls = 0;
    budget = maxCalls(items.size());
    RuntimeException first = attempt(items);
    if (first == null) {
      return calls;
    }
    return retry(items, first);
  }

  /**
   * Goes on as {@link #run} does after its first call failed with {@code first}: for a first call
   * made elsewhere (a batch run in steps). Counts that call; returns how many calls it took.
   */
  public int afterFailedCall(List<T> items, RuntimeException first) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException(what + ": nothing to run");
    }
    calls = 1;
    budget = maxCalls(items.size());
    return retry(items, first);
  }

  private int retry(List<T> items, RuntimeException first) {
    LOG.warn("{} of {} failed ({}); trying it once more before splitting it", what, items.size(), first.toString());
    RuntimeException again = attempt(items);
    if (again != null) {
      split(items, again);
    }
    return calls;
  }

  private void split(List<T> items, RuntimeException error) {
    if (items.size() == 1) {
      failure.accept(items.get(0), error);
      return;
    }
    LOG.warn("{} of {} failed again ({}); splitting it to find the items that fail alone", what, items.size(),
        error.toString());
    int half = (items.size() + 1) / 2;
    for (List<T> part : List.of(items.subList(0, half), items.subList(half, items.size()))) {
      if (calls >= budget) {
        part.forEach(item -> failure.accept(item, error));
        continue;
      }
      RuntimeException partError = attempt(part);
      if (partError != null) {
        split(part, partError);
      }
    }
  }

  /** One model call; null when it succeeded (and its outcomes were emitted), else its error. */
  private RuntimeException attempt(List<T> items) {
    calls++;
    R result;
    try {
      result = call.apply(items);
    } catch (CancelledException e) {
      throw e;
    } catch (RuntimeException e) {
      return e;
    }
    success.accept(items, result);
    return null;
  }
}
