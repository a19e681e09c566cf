package dev.aligntok.tests.faults;

import dev.aligntok.stream.output.BoundedText;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several instances of one service: one {@link FaultRun} (application id, topics, settings), each
 * instance on its own HTTP port with its own state directory and logs, announcing its address for
 * query routing. Instances are numbered from 0; one that is down is started again with its own state
 * directory, as a StatefulSet pod would be. {@link #close()} stops every one still running.
 */
final class ServiceCluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceCluster.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

  private final FaultRun run;
  private final ServiceProcess[] instances;
  private final int[] starts;

  /** @param size how many instances there can be; none is started yet */
  ServiceCluster(FaultRun run, int size) {
    this.run = run;
    this.instances = new ServiceProcess[size];
    this.starts = new int[size];
  }

  /** Starts the instances that are down, side by side (each start waits for its own readiness). */
  void startAll() throws IOException, InterruptedException {
    List<Integer> down = IntStream.range(0, instances.length).filter(i -> instances[i] == null).boxed().toList();
    ExecutorService starter = Executors.newFixedThreadPool(down.size());
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i : down) {
        started.add(starter.submit(() -> {
          start(i);
          return null;
        }));
      }
      for (Future<?> start : started) {
        try {
          start.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("an instance did not start", e.getCause());
        }
      }
    } finally {
      starter.shutdownNow();
    }
  }

  /** Starts instance {@code i} (down) and waits until it is ready. */
  void start(int i) throws IOException, InterruptedException {
    if (instances[i] != null) {
      throw new IllegalStateException("instance " + i + " is running already");
    }
    int start;
    synchronized (starts) {
      start = ++starts[i];
    }
    instances[i] = run.startPeer(name(i), start);
    log.info("instance {} (start {}) is pid {} at {}", i, start, instances[i].pid(), instances[i].uri(""));
  }

  /** {@code kill -9} of instance {@code i}. */
  void kill(int i) throws InterruptedException {
    running(i).kill();
    instances[i] = null;
  }

  /** Stops instance {@code i} gracefully (SIGTERM) and checks that it exited by itself, not killed after the grace period. */
  void stop(int i) {
    ServiceProcess instance = running(i);
    instance.close();
    int exit = instance.exitValue();
    instances[i] = null;
    // 143 = the service's exit on SIGTERM once it closed; 134 = SIGABRT (a native crash), 137 = the SIGKILL after the grace period.
    if (exit != 143) {
      throw new AssertionError("instance " + i + " did not stop gracefully on SIGTERM (exit " + exit + "); "
          + instance.logTail());
    }
  }

  ServiceProcess running(int i) {
    ServiceProcess instance = instances[i];
    if (instance == null || !instance.isAlive()) {
      throw new IllegalStateException("instance " + i + " is not running");
    }
    return instance;
  }

  /** The instances running now. */
  List<Integer> up() {
    return IntStream.range(0, instances.length).filter(i -> instances[i] != null).boxed().toList();
  }

  ServiceHttp http(int i) {
    return new ServiceHttp(running(i), null);
  }

  /**
   * Waits until every running instance is ready at once (a joining instance makes the others
   * rebalance, and not ready, for a while).
   */
  void awaitAllReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<Integer> notReady = up().stream()
          .filter(i -> http(i).get("/health/readiness").statusCode() != 200).toList();
      if (notReady.isEmpty()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("instances " + notReady + " not ready within " + timeout + "; "
            + running(notReady.get(0)).logTail());
      }
      Thread.sleep(250);
    }
  }

  /**
   * The running instance that owns the key {@code path} asks about (a request id's status or image):
   * the one that answers from its own stores a query marked as forwarded, which every other
   * instance refuses with 503. Retries while ownership moves (then every instance refuses, or,
   * briefly, two answer).
   */
  int ownerOf(String path) throws InterruptedException {
    long deadline = System.nanoTime() + ASK_TIMEOUT.toNanos();
    while (true) {
      List<Integer> answering = new ArrayList<>();
      List<String> answers = new ArrayList<>();
      for (int i : up()) {
        HttpResponse<byte[]> answer = http(i).getAsOwner(path);
        answers.add("instance " + i + ": " + answer.statusCode() + " " + BoundedText.of(ServiceHttp.text(answer), 200));
        if (answer.statusCode() != 503) {
          answering.add(i);
        }
      }
      if (answering.size() == 1) {
        return answering.get(0);
      }
      if (answering.size() > 1) {
        // Seen once in six runs, right after the survivors drained the work: a rebalance may leave two
        // instances with a view of the assignment each. It must settle; persisting is a routing bug.
        log.warn("instances {} all claim to own GET {}: {}", answering, path, answers);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not exactly one of the running instances " + up() + " owns GET " + path
            + " after " + ASK_TIMEOUT + ": " + answers);
      }
      Thread.sleep(250);
    }
  }

  /** {@code GET path} through instance {@code i}; a 503 (ownership moving) is retried. */
  HttpResponse<byte[]> ask(int i, String path) throws InterruptedException {
    long deadline = System.nanoTime() + ASK_TIMEOUT.toNanos();
    while (true) {
      HttpResponse<byte[]> answer = http(i).get(path);
      if (answer.statusCode() != 503 || System.nanoTime() > deadline) {
        return answer;
      }
      Thread.sleep(250);
    }
  }

  /** Instance {@code i}'s name in state directories and logs. */
  static String name(int i) {
    return "instance-" + i;
  }

  @Override
  public void close() {
    for (int i = 0; i < instances.length; i++) {
      if (instances[i] != null) {
        instances[i].close();
        instances[i] = null;
      }
    }
  }
}
