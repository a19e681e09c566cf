package dev.aligntok.inference.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CancellationTest {
  @Test
  void hooksRunOnceOnCancelAtOnceWhenAlreadyCancelledAndNotAfterTheirRegistrationCloses() {
    AtomicInteger terminated = new AtomicInteger();
    try (Cancellation scope = Cancellation.open()) {
      Cancellation.Registration removed = scope.onCancel(terminated::incrementAndGet);
      removed.close();
      Cancellation.Registration kept = scope.onCancel(terminated::incrementAndGet);
      scope.onCancel(() -> {
        throw new IllegalStateException("a native handle already gone");
      });
      scope.cancel("first");
      scope.cancel("second");
      assertEquals(1, terminated.get(), "only the registered hook, once");
      assertEquals(1, scope.failedHooks(), "a failing hook does not stop the others");
      assertEquals("first", scope.reason());
      scope.onCancel(terminated::incrementAndGet).close();
      assertEquals(2, terminated.get(), "registered after the cancel: runs at once");
      kept.close();
    }
  }

  @Test
  void aThreadHasOneScopeAtATimeAndOnlyItClosesIt() throws Exception {
    try (Cancellation scope = Cancellation.open()) {
      assertThrows(IllegalStateException.class, Cancellation::open);
      AtomicReference<Throwable> fromOtherThread = new AtomicReference<>();
      Thread other = new Thread(() -> {
        try {
          scope.close();
        } catch (Throwable e) {
          fromOtherThread.set(e);
        }
      });
      other.start();
      other.join();
      assertTrue(fromOtherThread.get() instanceof IllegalStateException, String.valueOf(fromOtherThread.get()));
      assertTrue(Cancellation.current() == scope);
    }
    assertNull(Cancellation.current());
  }
}
