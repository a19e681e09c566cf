package dev.aligntok.tests.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import dev.aligntok.tests.stream.CommittedOutputs;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rolling bundle reload ({@code POST /v1/admin/bundle} to one instance after another) across three
 * instances while generation requests and images stream in: every output names one of the two
 * bundles, no request's images mix them, the instances not yet told keep serving the old bundle while
 * a switched one serves the new, no partition goes back to the old bundle once it has the new one,
 * and every request sent after the last reload is served by the new bundle; exactly once throughout
 * ({@link ExactlyOnceChecks}). The second bundle is the default one renamed, so it has another id and
 * the same cost.
 */
@WithRealStack
class RollingBundleReloadTest {
  private static final Logger log = LoggerFactory.getLogger(RollingBundleReloadTest.class);

  @TempDir Path tmp;

  @Test
  void aRollingReloadUnderLoadSwitchesEachInstanceBetweenBatchesAndNoRequestMixesBundles(RealStack stack)
      throws Exception {
    Path roots = tmp.resolve("bundles");
    Path next = renamedCopyOfDefaultBundle(roots.resolve("emoji-next"), "emoji-next");
    String oldId = BundleFiles.verify(GenerationBacklog.DEFAULT_BUNDLE).manifest().id();
    String newId = BundleFiles.verify(next).manifest().id();
    assertNotEquals(oldId, newId, "the renamed copy is another bundle");
    Map<String, String> settings = ScaleOutTest.clusterSettings();
    settings.put("aligntok.model.bundle-roots", roots.toString());

    try (FaultRun run = new FaultRun(stack, "scale-reload", tmp, settings);
         ServiceCluster cluster = new ServiceCluster(run, ScaleOutTest.INSTANCES)) {
      GenerationBacklog backlog =
          new GenerationBacklog(run.topics, run.serdes, 15, ScaleOutTest.IMAGES_PER_REQUEST, ScaleOutTest.STEPS, 30);
      ExactlyOnceChecks checks = new ExactlyOnceChecks(run.serdes, run.topics, backlog);
      cluster.startAll();
      cluster.awaitAllReady(ScaleOutTest.START);

      CompletableFuture<Void> load = ScaleOutTest.feed(stack, backlog, Duration.ofSeconds(50));
      run.awaitFirstImages(cluster.running(0), Duration.ofSeconds(90));
      long lastReloadAt = 0;
      for (int i : cluster.up()) {
        HttpResponse<byte[]> reloaded = cluster.http(i).postJson("/v1/admin/bundle", "{\"path\":\"" + next + "\"}");
        assertEquals(200, reloaded.statusCode(), "reload of instance " + i + ": " + ServiceHttp.text(reloaded));
        assertEquals(newId, ServiceHttp.json(reloaded).get("bundleId").asText(), "instance " + i + " serves the new bundle");
        lastReloadAt = System.currentTimeMillis();
        log.info("instance {} reloaded to {}", i, newId);
        if (i == 0) {
          awaitBothBundlesServing(run, stack, oldId, newId, lastReloadAt);
        }
      }
      assertTrue(!load.isDone(), "the reloads must end while requests still arrive: feed for longer");
      load.join();

      CommittedOutputs out = checks.awaitAll(stack, ScaleOutTest.DRAIN);
      String context = " (rolling reload " + oldId + " -> " + newId + "; logs " + run.logs() + ")";
      checks.verify(out, context);
      assertEachOutputNamesOneBundleAndNoRequestMixes(run, out, oldId, newId, context);
      assertNoPartitionGoesBack(run, out, newId, context);
      assertRequestsAfterTheLastReloadUseTheNewBundle(run, stack, out, newId, lastReloadAt, context);
    }
  }

  /**
   * After the first instance switched, both bundles serve side by side: images made after the switch
   * by the new bundle, and by the old one for at least two requests — an instance runs one batch (one
   * request of 4 images) at a time, so the switched one can finish at most one request on the old
   * bundle; the other requests come from the instances not yet told.
   */
  private static void awaitBothBundlesServing(FaultRun run, RealStack stack, String oldId, String newId,
                                              long switchedAt) {
    CommittedOutputs.read(stack, List.of(run.topics.generated()), out -> {
      Set<String> oldRequests = new TreeSet<>();
      boolean newServed = false;
      for (GeneratedImage image : out.values(run.topics.generated(), GeneratedImage.class, run.serdes)) {
        if (image.getProducedAtMs().toEpochMilli() >= switchedAt) {
          newServed |= image.getBundleId().equals(newId);
          if (image.getBundleId().equals(oldId)) {
            oldRequests.add(image.getRequestId());
          }
        }
      }
      return newServed && oldRequests.size() >= 2;
    }, Duration.ofSeconds(90), Duration.ZERO);
  }

  private static void assertEachOutputNamesOneBundleAndNoRequestMixes(FaultRun run, CommittedOutputs out,
                                                                      String oldId, String newId, String context) {
    Set<String> known = Set.of(oldId, newId);
    Map<String, Set<String>> bundlesByRequest = new TreeMap<>();
    for (GeneratedImage image : out.values(run.topics.generated(), GeneratedImage.class, run.serdes)) {
      bundlesByRequest.computeIfAbsent(image.getRequestId(), id -> new TreeSet<>()).add(image.getBundleId());
    }
    Map<String, Set<String>> mixed = new TreeMap<>(bundlesByRequest);
    mixed.values().removeIf(bundles -> bundles.size() == 1 && known.containsAll(bundles));
    assertEquals(Map.of(), mixed, "every request's images come from one of the two bundles" + context);
    Set<String> used = new TreeSet<>();
    bundlesByRequest.values().forEach(used::addAll);
    assertEquals(new TreeSet<>(known), used, "both bundles generated images" + context);

    Map<String, String> wrongStatus = new TreeMap<>();
    for (GenerationStatus status : out.values(run.topics.status(), GenerationStatus.class, run.serdes)) {
      Set<String> images = bundlesByRequest.get(status.getRequestId());
      if (status.getState() == GenerationState.SUCCEEDED
          && (images == null || !images.contains(status.getBundleId()))) {
        wrongStatus.put(status.getRequestId(), status.getBundleId() + " but its images " + images);
      }
    }
    assertEquals(Map.of(), wrongStatus, "a SUCCEEDED status names the bundle of its images" + context);

    Map<String, String> unknownLatents = new TreeMap<>();
    out.values(run.topics.latents(), LatentEvent.class, run.serdes).stream()
        .filter(latent -> !known.contains(latent.getBundleId()))
        .forEach(latent -> unknownLatents.put(latent.getId(), latent.getBundleId()));
    assertEquals(Map.of(), unknownLatents, "every latent names one of the two bundles" + context);
  }

  /** No instance joins or leaves, so a partition stays with one instance, which switches once: old, then new. */
  private static void assertNoPartitionGoesBack(FaultRun run, CommittedOutputs out, String newId, String context) {
    Map<Integer, List<String>> backwards = new TreeMap<>();
    Map<Integer, Boolean> switched = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> record : out.of(run.topics.generated())) {
      GeneratedImage image = run.serdes.serde(GeneratedImage.class).deserializer()
          .deserialize(record.topic(), record.value());
      boolean isNew = image.getBundleId().equals(newId);
      if (!isNew && switched.getOrDefault(record.partition(), false)) {
        backwards.computeIfAbsent(record.partition(), p -> new ArrayList<>())
            .add(image.getRequestId() + "/" + image.getIndex());
      }
      switched.merge(record.partition(), isNew, Boolean::logicalOr);
    }
    assertEquals(Map.of(), backwards, "images on the old bundle after the new one, by partition" + context);
  }

  /** A request sent after every instance switched can only meet the new bundle. */
  private static void assertRequestsAfterTheLastReloadUseTheNewBundle(FaultRun run, RealStack stack,
      CommittedOutputs out, String newId, long lastReloadAt, String context) {
    CommittedOutputs inputs = CommittedOutputs.read(stack, List.of(run.topics.prompts()),
        in -> !in.of(run.topics.prompts()).isEmpty(), Duration.ofSeconds(30), Duration.ofSeconds(2));
    Set<String> late = new TreeSet<>();
    inputs.of(run.topics.prompts()).stream().filter(r -> r.timestamp() > lastReloadAt).forEach(r -> late.add(r.key()));
    assertTrue(!late.isEmpty(), "some requests must arrive after the last reload: feed for longer" + context);
    Map<String, String> onOld = new TreeMap<>();
    for (GeneratedImage image : out.values(run.topics.generated(), GeneratedImage.class, run.serdes)) {
      if (late.contains(image.getRequestId()) && !image.getBundleId().equals(newId)) {
        onOld.put(image.getRequestId() + "/" + image.getIndex(), image.getBundleId());
      }
    }
    assertEquals(Map.of(), onOld, "images of the " + late.size() + " requests sent after the last reload" + context);
  }

  /** The default bundle's files under {@code dir}, its manifest renamed and re-signed: another id, the same models. */
  private static Path renamedCopyOfDefaultBundle(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(GenerationBacklog.DEFAULT_BUNDLE)) {
      for (Path file : files.toList()) {
        Files.copy(file, dir.resolve(file.getFileName()));
      }
    }
    TestBundles.editAndResign(dir, manifest -> manifest.put("name", name));
    return dir;
  }
}
