package dev.aligntok.stream.service;

import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Stops the service on SIGTERM and SIGINT by closing the application context (Kafka Streams waits for
 * the in-flight batch and commits it, then the bundle closes) <em>before</em> the JVM exits. The JVM's
 * shutdown hooks alone are not enough: ONNX Runtime registers one of its own that frees the native
 * environment, hooks run concurrently, and it would free the sessions under the batch that Micronaut's
 * hook is waiting for — the JVM then dies of SIGSEGV in the middle of every graceful stop under load.
 */
final class GracefulShutdown {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulShutdown.class);

  private GracefulShutdown() {}

  /**
   * Installs the handlers; the exit code afterwards is the JVM's usual one for the signal (128 + its
   * number). The JVM's shutdown hooks do not run after the context has closed.
   */
  static ApplicationContext onSignals(ApplicationContext context) {
    AtomicBoolean closing = new AtomicBoolean();
    for (String name : List.of("TERM", "INT")) {
      Signal.handle(new Signal(name), signal -> {
        if (closing.compareAndSet(false, true)) {
          LOG.info("SIG{}: stopping the service", signal.getName());
          try {
            context.close();
          } catch (RuntimeException e) {
            LOG.error("the service did not stop cleanly", e);
          }
          // halt, not exit: the context is closed and nothing else needs a hook, while ONNX Runtime's would
          // still free the sessions under a batch that outlived aligntok.kafka.close-timeout.
          Runtime.getRuntime().halt(128 + signal.getNumber());
        }
      });
    }
    return context;
  }
}
