package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several service instances (JVMs of their own, {@link ServiceCluster}) sharing one application over
 * six partitions, against the real broker and registry, with a stream of generation requests and
 * images: a {@code kill -9} of one in the middle of a batch, a rolling restart under load, and scaling
 * from one instance to three while batches are pending. After each, a read_committed reader sees
 * exactly one output per input and a final status per request ({@link ExactlyOnceChecks}); after the
 * kill, status and image queries are answered through any survivor, routed to the key's owner.
 */
@WithRealStack
class ScaleOutTest {
  private static final Logger log = LoggerFactory.getLogger(ScaleOutTest.class);
  static final int INSTANCES = 3;
  static final int IMAGES_PER_REQUEST = 4;
  /** Sampling steps: a 4-image batch takes a few seconds with three JVMs on two cores, so a kill lands in one. */
  static final int STEPS = 20;
  static final Duration START = Duration.ofSeconds(120);
  static final Duration DRAIN = Duration.ofSeconds(150);

  @TempDir Path tmp;

  /** The settings every instance shares: six partitions, 4-image batches, one ONNX thread. */
  static Map<String, String> clusterSettings() {
    return new TreeMap<>(Map.of(
        "aligntok.topics.partitions", "6",
        "aligntok.generate.batch-size", Integer.toString(IMAGES_PER_REQUEST),
        "aligntok.tokenize.batch-size", "4",
        "aligntok.model.intra-op-threads", "1",
        // A killed instance that does not come back cannot fence its open transaction, which holds back
        // the offsets of the partitions its successors take over until it times out (service default:
        // 3 x max-batch-duration = 180 s). 20 s is still several batches.
        "aligntok.kafka.properties.producer.transaction.timeout.ms", "20000"));
  }

  /** (a) + (b): three instances, one killed mid-batch; the two survivors finish its work and answer every query. */
  @Test
  void survivorsFinishTheWorkOfAnInstanceKilledMidBatchAndAnswerQueriesForEachOther(RealStack stack) throws Exception {
    try (FaultRun run = new FaultRun(stack, "scale-kill", tmp, clusterSettings());
         ServiceCluster cluster = new ServiceCluster(run, INSTANCES)) {
      GenerationBacklog backlog = new GenerationBacklog(run.topics, run.serdes, 12, IMAGES_PER_REQUEST, STEPS, 24);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);
      cluster.startAll();
      cluster.awaitAllReady(START);

      backlog.produce(stack);
      int victim = 1;
      int committedAtKill = run.awaitFirstImages(cluster.running(victim), Duration.ofSeconds(90));
      cluster.kill(victim);
      log.info("killed instance {} with {} of {} generated images committed", victim, committedAtKill,
          backlog.totalImages());
      assertTrue(committedAtKill < backlog.totalImages(), "the kill must land mid-stream, but all "
          + backlog.totalImages() + " images were committed already: make the batches slower");

      CommittedOutputs out = checks.awaitAll(stack, DRAIN);
      checks.verify(out, " (instance " + victim + " of " + INSTANCES + " killed with " + committedAtKill + " of "
          + backlog.totalImages() + " images committed; logs " + run.logs() + ")");

      assertQueriesAnsweredThroughEveryInstance(cluster, backlog);
    }
  }

  /**
   * Each request's status and first image, asked through every running instance, is the owner's own
   * answer; every running instance owns some of them, so each is asked on behalf of every other.
   */
  static void assertQueriesAnsweredThroughEveryInstance(ServiceCluster cluster, GenerationBacklog backlog)
      throws InterruptedException {
    Set<Integer> owners = new TreeSet<>();
    for (String id : backlog.countsByRequest.keySet()) {
      for (String path : List.of("/v1/generations/" + id, "/v1/generations/" + id + "/images/0")) {
        int owner = cluster.ownerOf(path);
        owners.add(owner);
        HttpResponse<byte[]> own = cluster.http(owner).getAsOwner(path);
        assertEquals(200, own.statusCode(), "GET " + path + " at its owner, instance " + owner + ": "
            + ServiceHttp.text(own));
        for (int via : cluster.up()) {
          HttpResponse<byte[]> routed = cluster.ask(via, path);
          assertEquals(200, routed.statusCode(), "GET " + path + " through instance " + via + " (owner: instance "
              + owner + "): " + ServiceHttp.text(routed));
          if (path.endsWith("/images/0")) {
            assertTrue(Arrays.equals(own.body(), routed.body()), "GET " + path + " through instance " + via
                + " returns the owner's (instance " + owner + ") PNG: " + routed.body().length + " bytes, owner's "
                + own.body().length);
          } else {
            JsonNode status = ServiceHttp.json(routed);
            assertEquals(ServiceHttp.json(own), status, "GET " + path + " through instance " + via
                + " returns the owner's (instance " + owner + ") status");
            assertEquals("SUCCEEDED", status.get("state").asText(), path + ": " + status);
          }
        }
      }
    }
    assertEquals(new TreeSet<>(cluster.up()), owners, "every running instance owns some request's status or images");
  }

  /** (c): each instance in turn stopped (SIGTERM), started again on its state and waited for, while requests and images arrive. */
  @Test
  void aRollingRestartUnderLoadLosesAndDuplicatesNothing(RealStack stack) throws Exception {
    try (FaultRun run = new FaultRun(stack, "scale-rolling", tmp, clusterSettings());
         ServiceCluster cluster = new ServiceCluster(run, INSTANCES)) {
      GenerationBacklog backlog = new GenerationBacklog(run.topics, run.serdes, 12, IMAGES_PER_REQUEST, STEPS, 24);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);
      cluster.startAll();
      cluster.awaitAllReady(START);

      CompletableFuture<Void> load = feed(stack, backlog, Duration.ofSeconds(45));
      run.awaitFirstImages(cluster.running(0), Duration.ofSeconds(90));
      for (int i = 0; i < INSTANCES; i++) {
        cluster.stop(i);
        cluster.start(i);
        cluster.awaitAllReady(START);
        log.info("instance {} restarted", i);
      }
      load.join();

      CommittedOutputs out = checks.awaitAll(stack, DRAIN);
      checks.verify(out, " (rolling restart of " + INSTANCES + " instances under load; logs " + run.logs() + ")");
    }
  }

  /** (e): one instance with pending batches, then two more join: the work spreads without duplicates. */
  @Test
  void scalingFromOneToThreeInstancesWhileBatchesArePendingLosesAndDuplicatesNothing(RealStack stack)
      throws Exception {
    try (FaultRun run = new FaultRun(stack, "scale-out", tmp, clusterSettings());
         ServiceCluster cluster = new ServiceCluster(run, INSTANCES)) {
      GenerationBacklog backlog = new GenerationBacklog(run.topics, run.serdes, 12, IMAGES_PER_REQUEST, STEPS, 24);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);
      cluster.start(0);

      backlog.produce(stack);
      int committedAtScaleOut = run.awaitFirstImages(cluster.running(0), Duration.ofSeconds(90));
      cluster.startAll();
      log.info("scaled out to {} instances with {} of {} generated images committed", INSTANCES, committedAtScaleOut,
          backlog.totalImages());
      assertTrue(committedAtScaleOut < backlog.totalImages(), "the scale-out must land while batches are pending, "
          + "but all " + backlog.totalImages() + " images were committed already: make the batches slower");

      CommittedOutputs out = checks.awaitAll(stack, DRAIN);
      checks.verify(out, " (scaled from 1 to " + INSTANCES + " instances with " + committedAtScaleOut + " of "
          + backlog.totalImages() + " images committed; logs " + run.logs() + ")");
      cluster.awaitAllReady(START);
      assertQueriesAnsweredThroughEveryInstance(cluster, backlog);
    }
  }

  /** Sends the backlog spread over {@code duration} from another thread. */
  static CompletableFuture<Void> feed(RealStack stack, GenerationBacklog backlog, Duration duration) {
    return CompletableFuture.runAsync(() -> {
      try {
        backlog.produceOver(stack, duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while feeding the backlog", e);
      }
    });
  }
}
