package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code kill -9} of the service (its own JVM) while it works through a backlog of generation
 * requests and images, then a fresh process with the same application id and state directory: a
 * read_committed reader sees exactly one output per input ({@link ExactlyOnceChecks}). The kill follows
 * the first committed batch and a committed progress status of the next (a batch runs in parts:
 * {@code aligntok.generate.progress-interval}), so it lands between that batch's parts: its
 * in-memory sampler state is lost, the batch restarts from step 0 and its images still come once.
 * The batches run in 100 ms parts, so even a fast machine (where 50 steps in 1 s parts finished
 * every batch inside its first part) leaves a batch between parts for a while. Once more with the state
 * directory deleted before the restart: the stores are rebuilt from their changelogs.
 */
@WithRealStack
class KillDuringBatchTest {
  private static final Logger log = LoggerFactory.getLogger(KillDuringBatchTest.class);
  private static final int IMAGES_PER_REQUEST = 4;
  private static final int STEPS = 80;

  @TempDir Path tmp;

  @Test
  void killedMidBatchAndRestartedEveryInputHasExactlyOneOutput(RealStack stack) throws Exception {
    killMidBatchThenRestart(stack, "kill9", 6, false);
  }

  /** As a replacement pod on a new node would: its local stores are gone and come back from the changelogs. */
  @Test
  void killedMidBatchAndRestartedOnAnEmptyStateDirectoryEveryInputHasExactlyOneOutput(RealStack stack)
      throws Exception {
    killMidBatchThenRestart(stack, "kill9-fresh-state", 4, true);
  }

  /**
   * SIGTERM instead of SIGKILL, as a rolling update sends: the instance finishes or hands back its
   * batch and exits by itself (ONNX Runtime's shutdown hook once freed the sessions under the running
   * batch and the JVM died of SIGSEGV, exit 134), and the restart still sees exactly one output per input.
   */
  @Test
  void stoppedGracefullyMidBatchExitsByItselfAndTheRestartHasExactlyOneOutputPerInput(RealStack stack)
      throws Exception {
    stopMidBatchThenRestart(stack, "sigterm", 4, false, true);
  }

  /** @param requests generation requests of 4 images each in the backlog, 1 batch each; the kill follows the first */
  private void killMidBatchThenRestart(RealStack stack, String name, int requests, boolean deleteState)
      throws Exception {
    stopMidBatchThenRestart(stack, name, requests, deleteState, false);
  }

  /** @param graceful SIGTERM (and the instance must exit by itself) instead of SIGKILL */
  private void stopMidBatchThenRestart(RealStack stack, String name, int requests, boolean deleteState,
                                       boolean graceful) throws Exception {
    Map<String, String> settings = new TreeMap<>(Map.of(
        "aligntok.generate.batch-size", Integer.toString(IMAGES_PER_REQUEST), "aligntok.tokenize.batch-size", "4",
        "aligntok.generate.progress-interval", "100ms"));
    if (deleteState) {
      // The Streams process id lives in the state directory, and the transactional id derives from it: a
      // restart without it cannot fence the killed instance's open transaction, whose pending offset commit
      // blocks the new instance until the transaction times out (service default 3 x max-batch-duration =
      // 180 s). A timeout still 5x a batch here (~4 s) keeps the test short.
      settings.put("aligntok.kafka.properties.producer.transaction.timeout.ms", "20000");
    }
    try (FaultRun run = new FaultRun(stack, name, tmp, settings)) {
      GenerationBacklog backlog =
          new GenerationBacklog(run.topics, run.serdes, requests, IMAGES_PER_REQUEST, STEPS, 4 * requests);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);

      int committedAtKill;
      try (ServiceProcess first = run.startService()) {
        backlog.produce(stack);
        committedAtKill = run.awaitFirstImages(first, Duration.ofSeconds(40));
        if (!graceful) {
          String midRun = run.awaitMidRun(first, Duration.ofSeconds(40));
          log.info("request {} is RUNNING with no images yet: its batch is between parts", midRun);
        }
        if (graceful) {
          first.close();
          // 143: the JVM's exit after SIGTERM once its shutdown ran; 134 (SIGABRT after a SIGSEGV) or 137 (the
          // SIGKILL after the grace period) mean the batch was not let to finish.
          assertEquals(143, first.exitValue(), "the service exits by itself on SIGTERM mid-batch; " + first.logTail());
        } else {
          first.kill();
        }
        log.info("{} the service with {} of {} generated images committed", graceful ? "stopped" : "killed",
            committedAtKill, backlog.totalImages());
        assertTrue(committedAtKill < backlog.totalImages(), "the kill must land mid-stream, but all "
            + backlog.totalImages() + " images were committed already: make the batches slower; " + first.logTail());
      }
      if (deleteState) {
        assertTrue(run.deleteState() > 1, "the killed instance had local state to lose");
      }

      try (ServiceProcess second = run.startService()) {
        CommittedOutputs out = FaultRun.explained(second, () -> checks.awaitAll(stack, Duration.ofSeconds(120)));
        checks.verify(out, " (" + committedAtKill + " of " + backlog.totalImages() + " images committed at the kill"
            + (deleteState ? ", state directory deleted before the restart" : "") + "; logs "
            + second.logFile().getParent() + ")");
      }
    }
  }
}
