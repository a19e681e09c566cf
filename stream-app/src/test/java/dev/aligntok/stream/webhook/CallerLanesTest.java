package dev.aligntok.stream.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallerLanesTest {
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  @Test
  void aLaneOfHangingAttemptsHoldsItsShareOfThreadsAndOthersRun() throws Exception {
    CallerLanes lanes = new CallerLanes(workers, 2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger hanging = new AtomicInteger();
    for (int i = 0; i < 50; i++) {
      lanes.submit("caller key:mallory", () -> {
        hanging.incrementAndGet();
        await(release);
      });
    }
    CountDownLatch others = new CountDownLatch(20);
    for (int i = 0; i < 20; i++) {
      lanes.submit("caller key:alice", others::countDown);
    }
    assertTrue(others.await(10, TimeUnit.SECONDS), "alice's attempts ran while mallory's hung");
    assertEquals(2, hanging.get(), "mallory holds two threads; the rest of its attempts wait in its lane");
    assertEquals(50, lanes.size("caller key:mallory"));

    release.countDown();
    awaitEmpty(lanes, "caller key:mallory");
    assertEquals(50, hanging.get(), "every waiting attempt ran once released");
    assertEquals(0, lanes.size("caller key:alice"));
  }

  @Test
  void aLaneRunsItsAttemptsInOrderAndAFailingOneDoesNotStopIt() throws Exception {
    CallerLanes lanes = new CallerLanes(workers, 1);
    List<Integer> order = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 30; i++) {
      int n = i;
      lanes.submit("receiver http://127.0.0.1:9", () -> {
        order.add(n);
        if (n % 7 == 0) {
          throw new IllegalStateException("attempt " + n + " blew up");
        }
      });
    }
    awaitEmpty(lanes, "receiver http://127.0.0.1:9");
    assertEquals(java.util.stream.IntStream.range(0, 30).boxed().toList(), order);
  }

  @Test
  void attemptsAfterTheWorkersStopAreDroppedQuietly() {
    CallerLanes lanes = new CallerLanes(workers, 1);
    workers.shutdownNow();
    lanes.submit("caller key:late", () -> { });
    assertEquals(1, lanes.size("caller key:late"), "not run: the delivery is closing, the call repeats after a restart");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitEmpty(CallerLanes lanes, String lane) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lanes.size(lane) > 0 && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertEquals(0, lanes.size(lane), lane + " drained");
  }
}
