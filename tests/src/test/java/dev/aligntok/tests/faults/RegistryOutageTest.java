package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.registry.FaultInjectingProxy;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry out of reach for a while: the service (its own JVM) keeps retrying with
 * backoff and, once the registry answers again, completes every request exactly once, with no dead
 * letter caused by the outage.
 *
 * <p>How the outage is made real: the service reaches the (real) registry only through a {@link
 * FaultInjectingProxy} in this JVM, which closes every connection without an answer while the
 * outage lasts. The service is fresh, so it has cached no schema yet: the first input it reads
 * needs its writer schema fetched by id, and its first outputs need their schema ids, all during
 * the outage. The test checks that such lookups were really attempted (and refused) during the
 * outage, and that nothing came out meanwhile. The inputs are written with this test's own client
 * directly against the registry, which stays up.
 */
@WithRealStack
class RegistryOutageTest {
  private static final Logger log = LoggerFactory.getLogger(RegistryOutageTest.class);
  /** Several registry-client retry rounds (~3 s each) plus growing pauses between stream-thread replacements. */
  private static final Duration OUTAGE = Duration.ofSeconds(12);

  @TempDir Path tmp;

  @Test
  void registryUnreachableForAWhileTheServiceCompletesEveryRequestOnceItReturns(RealStack stack) throws Exception {
    try (FaultInjectingProxy registry = FaultInjectingProxy.http(URI.create(stack.registryUrl()));
         FaultRun run = new FaultRun(stack, "registry-outage", tmp, Map.of(
             "aligntok.registry.url", registry.url().toString(),
             "aligntok.generate.batch-size", "4", "aligntok.tokenize.batch-size", "4"));
         ServiceProcess service = run.startService()) {
      GenerationBacklog backlog = new GenerationBacklog(run.topics, run.serdes, 3, 2, 10, 6);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);
      List<String> outputs = List.of(run.topics.latents(), run.topics.generated(), run.topics.status(),
          run.topics.deadLetters());

      registry.clearSeen();
      registry.dropNext(Integer.MAX_VALUE); // unreachable: every connection closed without an answer
      CommittedOutputs duringOutage;
      try {
        backlog.produce(stack);
        log.info("registry unreachable for {} with {} inputs waiting", OUTAGE, backlog.imageIds.size()
            + backlog.countsByRequest.size());
        duringOutage = CommittedOutputs.read(stack, outputs, out -> true, Duration.ofSeconds(10), OUTAGE);
      } finally {
        registry.dropNext(0);
      }
      long lookupsRefused = registry.seen().stream().filter(seen -> seen.path().startsWith("/schemas/ids/")).count();
      String context =
          " (" + lookupsRefused + " schema lookups refused during the outage; log " + service.logFile() + ")";
      assertTrue(lookupsRefused >= 2,
          "the outage must hit uncached schema lookups, and they must be retried" + context);
      outputs.forEach(topic -> assertEquals(0, duringOutage.of(topic).size(),
          "nothing can be written while no schema can be fetched: " + topic + context));
      assertTrue(service.isAlive(), "the service survived the outage" + context);

      CommittedOutputs out = FaultRun.explained(service, () -> checks.awaitAll(stack, Duration.ofSeconds(90)));
      checks.verify(out, context);
    }
  }
}
