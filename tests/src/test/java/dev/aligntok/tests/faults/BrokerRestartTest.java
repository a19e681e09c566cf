package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker stopped for a while mid-stream, then started again at the same address, while the
 * service (its own JVM) works through a backlog: the same service process recovers and completes
 * every request, and a read_committed reader sees exactly one output per input ({@link
 * ExactlyOnceChecks}).
 */
@WithRealStack
class BrokerRestartTest {
  private static final Logger log = LoggerFactory.getLogger(BrokerRestartTest.class);
  private static final int IMAGES_PER_REQUEST = 4;
  private static final Duration DOWNTIME = Duration.ofSeconds(8);

  @TempDir Path tmp;

  @Test
  void brokerStoppedAndRestartedMidStreamTheServiceCompletesEveryRequest(RealStack stack) throws Exception {
    try (FaultRun run = new FaultRun(stack, "broker-restart", tmp, Map.of(
        "aligntok.generate.batch-size", Integer.toString(IMAGES_PER_REQUEST), "aligntok.tokenize.batch-size", "4"));
         ServiceProcess service = run.startService()) {
      GenerationBacklog backlog = new GenerationBacklog(run.topics, run.serdes, 6, IMAGES_PER_REQUEST, 50, 24);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);
      backlog.produce(stack);
      int committedAtStop = run.awaitFirstImages(service, Duration.ofSeconds(40));

      stack.stopBroker();
      try {
        log.info("broker stopped with {} of {} generated images committed; down for {}", committedAtStop,
            backlog.totalImages(), DOWNTIME);
        Thread.sleep(DOWNTIME.toMillis());
      } finally {
        stack.startBroker();
      }

      CommittedOutputs out = FaultRun.explained(service, () -> checks.awaitAll(stack, Duration.ofSeconds(90)));
      String context = " (" + committedAtStop + " of " + backlog.totalImages() + " images committed when the broker"
          + " stopped; log " + service.logFile() + ")";
      checks.verify(out, context);
      assertTrue(service.isAlive(), "the service survived the broker's absence" + context);
    }
  }
}
