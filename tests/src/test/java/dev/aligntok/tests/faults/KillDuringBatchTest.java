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
 * {@code kill -9} of the service (its own JVM) while it works through a backlog of generation
 * requests and images, then a fresh process with the same application id and state directory: a
 * read_committed reader sees exactly one output per input ({@link ExactlyOnceChecks}). The default
 * emoji bundle at 50 steps makes a generate batch of 4 images take seconds, and the kill follows the
 * first committed batch within a poll, so it lands inside the next one.
 */
@WithRealStack
class KillDuringBatchTest {
  private static final Logger log = LoggerFactory.getLogger(KillDuringBatchTest.class);
  private static final int IMAGES_PER_REQUEST = 4;

  @TempDir Path tmp;

  @Test
  void killedMidBatchAndRestartedEveryInputHasExactlyOneOutput(RealStack stack) throws Exception {
    try (FaultRun run = new FaultRun(stack, "kill9", tmp, Map.of(
        "aligntok.generate.batch-size", Integer.toString(IMAGES_PER_REQUEST), "aligntok.tokenize.batch-size", "4"))) {
      GenerationBacklog backlog = new GenerationBacklog(run.topics, run.serdes, 6, IMAGES_PER_REQUEST, 50, 24);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);

      int committedAtKill;
      try (ServiceProcess first = run.startService()) {
        backlog.produce(stack);
        committedAtKill = run.awaitFirstImages(first, Duration.ofSeconds(40));
        first.kill();
        log.info("killed the service with {} of {} generated images committed", committedAtKill,
            backlog.totalImages());
        assertTrue(committedAtKill < backlog.totalImages(), "the kill must land mid-stream, but all "
            + backlog.totalImages() + " images were committed already: make the batches slower; " + first.logTail());
      }

      try (ServiceProcess second = run.startService()) {
        CommittedOutputs out = FaultRun.explained(second, () -> checks.awaitAll(stack, Duration.ofSeconds(60)));
        checks.verify(out, " (" + committedAtKill + " of " + backlog.totalImages()
            + " images committed at the kill; logs " + second.logFile().getParent() + ")");
      }
    }
  }
}
