package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every poison pill of issue 7 through the running service (its own JVM, raw topics, real broker
 * and registry), between valid inputs: each pill ends as exactly one dead letter carrying its
 * original bytes, where it came from, the error and the stage (and a FAILED status for a
 * generation request, except a duplicate id, which leaves the first request's status); every valid
 * input still succeeds; and, read_committed, inputs = outputs +
 * dead letters on both topologies.
 */
@WithRealStack
class PoisonPillTest {
  @TempDir Path tmp;

  @Test
  void everyPoisonPillIsDeadLetteredOnceAndTheValidInputsAroundItSucceed(RealStack stack) throws Exception {
    // URI images may come from this directory only; a valid PNG lies next to it, for a URI that climbs out.
    Path allowedRoot = Files.createDirectories(tmp.resolve("allowed-images"));
    Path besideRoot =
        Files.write(tmp.resolve("beside-the-root.png"), InputEvents.noisePng(16, 16, new SplittableRandom(3)));
    try (FaultRun run = new FaultRun(stack, "poison", tmp, Map.of(
             "aligntok.tokenize.max-encoded-bytes", Integer.toString(PoisonPillInputs.MAX_ENCODED_BYTES),
             "aligntok.blob.allowed-roots", allowedRoot.toString()));
         ServiceProcess service = run.startService()) {
      List<String> classNames =
          BundleFiles.verify(GenerationBacklog.DEFAULT_BUNDLE).manifest().labels().vocabulary().names();
      PoisonPillInputs inputs =
          new PoisonPillInputs(run.topics, run.serdes, classNames, allowedRoot, besideRoot,
              PoisonPillInputs.MAX_ENCODED_BYTES);
      inputs.produce(stack);

      PillOutcomes checks = PillOutcomes.awaitAndCheck(stack, run, service, inputs, Duration.ofSeconds(60));
      assertTrue(service.isAlive(), "the service is still running" + checks.context());
    }
  }
}
