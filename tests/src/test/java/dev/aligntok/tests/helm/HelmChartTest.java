package dev.aligntok.tests.helm;

import static dev.aligntok.tests.helm.AligntokChart.GPU_KEDA_TLS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.LintResult;
import dev.aligntok.stream.service.config.QuotaSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart as {@code helm lint} and {@code helm template} see it, with the manifests read back through fabric8. */
class HelmChartTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  @Nested
  class DefaultValues {
    private static RenderedChart chart;

    @BeforeAll
    static void render() {
      chart = AligntokChart.template();
    }

    @Test
    void passStrictLint() {
      assertLintPassed(AligntokChart.lint());
    }

    @Test
    void runTheCpuImageWithoutAskingForAGpu() {
      Container app = appContainer(chart);
      assertEquals("aligntok/stream-app:0.1.0-cpu", app.getImage());
      assertNull(app.getResources().getLimits().get("nvidia.com/gpu"), "CPU defaults must not request a GPU");
      assertEquals(List.of("CPU"), textList(appConfig(chart).at("/aligntok/model/providers")));
      assertEquals(0, appConfig(chart).at("/aligntok/model/intra-op-threads").asInt());
    }

    @Test
    void aCpuNodeCanRunOneOnnxThreadPerStreamThread() {
      RenderedChart chart = AligntokChart.template(null, Map.of("model.intraOpThreads", 1));
      assertEquals(1, appConfig(chart).at("/aligntok/model/intra-op-threads").asInt());
    }

    @Test
    void probeTheAnonymousHealthEndpointsOnTheHttpPortAndKeepDetailsOnTheManagementPort() {
      Container app = appContainer(chart);
      assertEquals(8080, app.getPorts().get(0).getContainerPort());
      assertEquals("http", app.getPorts().get(0).getName());
      assertEquals(8085, app.getPorts().get(1).getContainerPort());
      assertEquals("management", app.getPorts().get(1).getName());
      assertEquals(8085, appConfig(chart).at("/endpoints/all/port").asInt());
      Service clients = chart.all(Service.class).stream().filter(s -> !"None".equals(s.getSpec().getClusterIP()))
          .findFirst().orElseThrow();
      assertEquals(List.of("http"), clients.getSpec().getPorts().stream().map(p -> p.getName()).toList(),
          "clients never reach health details or metrics");
      assertHttpProbe(app.getStartupProbe(), "/health/liveness");
      assertHttpProbe(app.getReadinessProbe(), "/health/readiness");
      assertHttpProbe(app.getLivenessProbe(), "/health/liveness");
      Probe startup = app.getStartupProbe();
      assertTrue(startup.getPeriodSeconds() * startup.getFailureThreshold() >= 20 * 60,
          "the startup probe must leave room for model load and TensorRT engine builds");
    }

    @Test
    void runAsNonRootOnAReadOnlyRootFilesystem() {
      PodSpec pod = podSpec(chart);
      assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
      assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
      for (Container container : pod.getContainers()) {
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem(), container.getName());
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation(), container.getName());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop(), container.getName());
      }
      // Native libraries (ONNX Runtime, RocksDB) unpack to java.io.tmpdir: it must be writable.
      assertEquals("/tmp", mount(appContainer(chart), "tmp").getMountPath());
      assertNotNull(volume(pod, "tmp").getEmptyDir());
      assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
    }

    @Test
    void keepStateStoresOnAPersistentVolumePerPod() {
      StatefulSet set = chart.single(StatefulSet.class);
      assertEquals("aligntok-headless", set.getSpec().getServiceName());
      assertEquals(1, set.getSpec().getReplicas());
      PersistentVolumeClaim state = claimTemplate(set, "state");
      assertEquals(new Quantity("20Gi"), state.getSpec().getResources().getRequests().get("storage"));
      String stateDir = mount(appContainer(chart), "state").getMountPath();
      assertEquals(stateDir, appConfig(chart).at("/aligntok/kafka/properties/state.dir").asText());
    }

    @Test
    void mountTheBundleReadOnlyAndGiveTheEngineCacheItsOwnVolume() {
      Container app = appContainer(chart);
      VolumeMount bundle = mount(app, "bundle");
      assertEquals(Boolean.TRUE, bundle.getReadOnly());
      assertEquals(bundle.getMountPath() + "/bundle", appConfig(chart).at("/aligntok/model/bundle-path").asText());
      assertEquals("aligntok-bundles", volume(podSpec(chart), "bundle").getPersistentVolumeClaim().getClaimName());
      // The runtime caches engines under java.io.tmpdir/aligntok-trt/<bundle id>: that is the volume.
      assertTrue(env(app, "JAVA_TOOL_OPTIONS").getValue().contains("-Djava.io.tmpdir=/tmp"));
      assertEquals("/tmp/aligntok-trt", mount(app, "engine-cache").getMountPath());
      assertNotNull(volume(podSpec(chart), "engine-cache").getEmptyDir());
    }

    @Test
    void loadTheRenderedConfigurationThroughMicronautConfigFiles() {
      Container app = appContainer(chart);
      String configFile = env(app, "MICRONAUT_CONFIG_FILES").getValue();
      assertEquals(mount(app, "config").getMountPath() + "/application.yml", configFile);
      JsonNode config = appConfig(chart);
      assertEquals("kafka:9092", config.at("/aligntok/kafka/bootstrap-servers").asText());
      assertEquals("aligntok-streams", config.at("/aligntok/kafka/application-id").asText());
      assertEquals(8080, config.at("/micronaut/server/port").asInt());
      assertEquals("aligntok.images", config.at("/aligntok/topics/images").asText());
      // Interactive queries reach a pod through its stable name in the headless service.
      assertEquals("${POD_NAME}.aligntok-headless.streams.svc:8080",
          config.at("/aligntok/kafka/application-server").asText());
      assertEquals("90s", config.at("/aligntok/kafka/close-timeout").asText());
      assertTrue(config.at("/aligntok/auth/enabled").asBoolean(), "API keys are required unless disabled explicitly");
      assertSecretRef(app, "ALIGNTOK_AUTH_API_KEYS", "aligntok-api-keys", "api-keys");
    }

    @Test
    void keepLatentsF32AndImagesInlineWithNoBlobStore() {
      JsonNode config = appConfig(chart);
      assertEquals("F32", config.at("/aligntok/tokenize/latent-dtype").asText());
      assertEquals(-1, config.at("/aligntok/generate/blob-threshold-bytes").asLong());
      assertEquals(0, config.at("/aligntok/blob/allowed-roots").size());
      assertEquals("", config.at("/aligntok/blob/output-root").asText());
      assertTrue(podSpec(chart).getVolumes().stream().noneMatch(v -> v.getName().equals("blobs")));
    }

    @Test
    void passEveryInputLimitAndQuarantineRecordsThatKeepFailing() {
      JsonNode config = appConfig(chart);
      assertEquals(65_536, config.at("/aligntok/output/dead-letter-value-bytes").asInt());
      assertEquals(4_096, config.at("/aligntok/output/dead-letter-key-bytes").asInt());
      assertEquals(16_384, config.at("/aligntok/output/dead-letter-header-bytes").asInt());
      assertEquals(3, config.at("/aligntok/batching/max-attempts").asInt());
      assertTrue(config.at("/aligntok/health").isMissingNode(), "the stall timeout follows max-batch-duration");
      assertEquals(1000, config.at("/aligntok/generate/max-prompt-length").asInt());
      assertEquals(-1000, config.at("/aligntok/generate/min-priority").asInt());
      assertEquals(8192, config.at("/aligntok/metadata/max-bytes").asInt());
      assertEquals(128_000_000L, config.at("/aligntok/tokenize/max-batch-pixels").asLong());
    }

    @Test
    void passTheServicesOwnQuotaDefaults() {
      JsonNode quotas = appConfig(chart).at("/aligntok/quotas");
      assertEquals(QuotaSettings.DEFAULT_MAX_IN_FLIGHT, quotas.at("/max-in-flight").asInt());
      assertEquals(QuotaSettings.DEFAULT_SUBMISSIONS_PER_MINUTE, quotas.at("/submissions-per-minute").asInt());
      assertEquals(QuotaSettings.DEFAULT_MAX_TRACKED_CALLERS, quotas.at("/max-tracked-callers").asInt());
    }

    @Test
    void commitProgressEverySecondBoundRunsInPartsAndLeaveWebhooksOffWithoutASecret() {
      JsonNode config = appConfig(chart);
      assertEquals("1s", config.at("/aligntok/generate/progress-interval").asText());
      assertEquals("30m", config.at("/aligntok/kafka/max-run-duration").asText());
      assertTrue(config.at("/aligntok/kafka/max-batch-duration").isMissingNode(), "empty keeps the app's 60 s");
      assertFalse(config.at("/aligntok/webhooks/enabled").asBoolean(true));
      assertEquals(0, config.at("/aligntok/webhooks/allowed-hosts").size());
      assertTrue(appContainer(chart).getEnv().stream().noneMatch(e -> e.getName().equals("ALIGNTOK_WEBHOOKS_SECRET")));
    }

    @Test
    void exposeAClusterServiceAHeadlessServiceAndADisruptionBudget() {
      List<Service> services = chart.all(Service.class);
      assertEquals(2, services.size(), chart.kinds().toString());
      Service headless = services.stream().filter(s -> "None".equals(s.getSpec().getClusterIP())).findFirst().orElseThrow();
      assertEquals(Boolean.TRUE, headless.getSpec().getPublishNotReadyAddresses());
      assertEquals(1, chart.single(PodDisruptionBudget.class).getSpec().getMaxUnavailable().getIntVal());
    }

    @Test
    void renderNoOptionalExtrasAndNoSecret() {
      assertTrue(chart.custom("ScaledObject").isEmpty());
      assertTrue(chart.custom("ServiceMonitor").isEmpty());
      assertTrue(chart.all(HorizontalPodAutoscaler.class).isEmpty());
      assertTrue(chart.all(NetworkPolicy.class).isEmpty());
      assertTrue(chart.all(Secret.class).isEmpty(), "the chart references Secrets, it never creates one");
    }
  }

  @Nested
  class GpuKedaTlsExample {
    private static RenderedChart chart;
    private static JsonNode example;

    @BeforeAll
    static void render() throws IOException {
      chart = AligntokChart.template(GPU_KEDA_TLS, Map.of());
      example = YAML.readTree(GPU_KEDA_TLS.toFile());
    }

    @Test
    void passesStrictLint(@TempDir Path workDir) throws IOException {
      assertLintPassed(AligntokChart.lint(GPU_KEDA_TLS, workDir));
    }

    @Test
    void asksForAGpuOnGpuNodesWithTheGpuImage() {
      Container app = appContainer(chart);
      assertEquals(new Quantity("1"), app.getResources().getLimits().get("nvidia.com/gpu"));
      assertTrue(app.getImage().endsWith(":0.1.0-gpu"), app.getImage());
      PodSpec pod = podSpec(chart);
      assertEquals("true", pod.getNodeSelector().get("nvidia.com/gpu.present"));
      assertEquals("nvidia.com/gpu", pod.getTolerations().get(0).getKey());
      assertNotNull(pod.getAffinity().getPodAntiAffinity());
      assertEquals(List.of("TENSORRT", "CUDA", "CPU"), textList(appConfig(chart).at("/aligntok/model/providers")));
    }

    @Test
    void keepsTensorRtEnginesOnAPersistentVolumePerPod() {
      StatefulSet set = chart.single(StatefulSet.class);
      assertEquals(new Quantity("20Gi"),
          claimTemplate(set, "engine-cache").getSpec().getResources().getRequests().get("storage"));
      assertTrue(podSpec(chart).getVolumes().stream().noneMatch(v -> v.getName().equals("engine-cache")),
          "the claim template, not a pod volume, provides the engine cache");
    }

    @Test
    void takesEveryCredentialFromASecretReference() {
      Container app = appContainer(chart);
      assertSecretRef(app, "KAFKA_SSL_TRUSTSTORE_PASSWORD", "kafka-client-tls", "truststore-password");
      assertSecretRef(app, "KAFKA_SASL_USERNAME", "kafka-client-scram", "username");
      assertSecretRef(app, "KAFKA_SASL_PASSWORD", "kafka-client-scram", "password");
      assertSecretRef(app, "SCHEMA_REGISTRY_USERNAME", "schema-registry", "username");
      assertSecretRef(app, "SCHEMA_REGISTRY_PASSWORD", "schema-registry", "password");

      PodSpec pod = podSpec(chart);
      assertEquals("kafka-client-tls", volume(pod, "kafka-tls").getSecret().getSecretName());
      assertEquals(Boolean.TRUE, mount(app, "kafka-tls").getReadOnly());
      assertSecretRef(app, "ALIGNTOK_AUTH_API_KEYS", "aligntok-api-keys", "api-keys");
      assertEquals(List.of("registry-pull"), pod.getImagePullSecrets().stream().map(LocalObjectReference::getName).toList());
      assertTrue(chart.all(Secret.class).isEmpty());
    }

    @Test
    void pointsKafkaAtTheMountedTrustStoreAndSecretPlaceholders() {
      JsonNode streams = appConfig(chart).at("/aligntok/kafka/properties");
      assertEquals("SASL_SSL", streams.get("security.protocol").asText());
      assertEquals(mount(appContainer(chart), "kafka-tls").getMountPath() + "/truststore.p12",
          streams.get("ssl.truststore.location").asText());
      assertEquals("${KAFKA_SSL_TRUSTSTORE_PASSWORD}", streams.get("ssl.truststore.password").asText());
      assertEquals("SCRAM-SHA-512", streams.get("sasl.mechanism").asText());
      assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"${KAFKA_SASL_USERNAME}\" password=\"${KAFKA_SASL_PASSWORD}\";",
          streams.get("sasl.jaas.config").asText());
      assertEquals("${SCHEMA_REGISTRY_USERNAME}:${SCHEMA_REGISTRY_PASSWORD}",
          appConfig(chart).at("/aligntok/registry/user-info").asText());
      assertEquals("4194304", streams.get("producer.max.request.size").asText(), "pass-through properties reach Streams");
    }

    @Test
    void scalesOnConsumerLagNeverBeyondThePartitionCount() {
      GenericKubernetesResource scaled = chart.custom("ScaledObject").get(0);
      int maxReplicas = ((Number) RenderedChart.at(scaled, "spec", "maxReplicaCount")).intValue();
      assertEquals(example.at("/autoscaling/keda/maxReplicas").asInt(), maxReplicas);
      assertTrue(maxReplicas <= example.at("/topics/partitions").asInt(), "maxReplicaCount must not exceed partitions");
      assertEquals("aligntok", RenderedChart.at(scaled, "spec", "scaleTargetRef", "name"));
      assertEquals("StatefulSet", RenderedChart.at(scaled, "spec", "scaleTargetRef", "kind"));

      List<?> triggers = (List<?>) RenderedChart.at(scaled, "spec", "triggers");
      assertEquals(2, triggers.size(), "one per input topic: images and prompts");
      GenericKubernetesResource auth = chart.custom("TriggerAuthentication").get(0);
      for (Object each : triggers) {
        Map<?, ?> trigger = (Map<?, ?>) each;
        Map<?, ?> metadata = (Map<?, ?>) trigger.get("metadata");
        assertEquals("kafka", trigger.get("type"));
        assertEquals("aligntok-prod", metadata.get("consumerGroup"), "the lag of the Streams application id");
        assertEquals("scram_sha512", metadata.get("sasl"));
        assertEquals("enable", metadata.get("tls"));
        assertEquals(auth.getMetadata().getName(), ((Map<?, ?>) trigger.get("authenticationRef")).get("name"));
      }
      List<?> refs = (List<?>) RenderedChart.at(auth, "spec", "secretTargetRef");
      assertTrue(refs.contains(Map.of("parameter", "password", "name", "kafka-client-scram", "key", "password")), refs.toString());
      assertTrue(refs.contains(Map.of("parameter", "ca", "name", "kafka-ca-pem", "key", "ca.crt")), refs.toString());

      assertNull(chart.single(StatefulSet.class).getSpec().getReplicas(), "KEDA owns the replica count");
    }

    @Test
    void scrapesEachPodAndFencesTheNetwork() {
      GenericKubernetesResource monitor = chart.custom("ServiceMonitor").get(0);
      Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) RenderedChart.at(monitor, "spec", "endpoints")).get(0);
      assertEquals("/prometheus", endpoint.get("path"));
      assertEquals("management", endpoint.get("port"));
      NetworkPolicy policy = chart.single(NetworkPolicy.class);
      assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
    }
  }

  /** Several pods: standby replicas, and KEDA scaling on the lag the app really has. */
  @Nested
  class ScaleOut {
    @Test
    void kedaWatchesTheStreamsGroupOnEachInputTopicTheAppIsConfiguredWith() throws IOException {
      RenderedChart chart = AligntokChart.template(null, Map.of("autoscaling.keda.enabled", true));
      JsonNode app = appConfig(chart);
      String group = app.at("/aligntok/kafka/application-id").asText();
      Map<String, Map<?, ?>> byTopic = kafkaTriggersByTopic(chart);
      assertEquals(List.of(app.at("/aligntok/topics/images").asText(), app.at("/aligntok/topics/prompts").asText()),
          List.copyOf(byTopic.keySet()), "one trigger per input topic, none on the app's own outputs");
      byTopic.values().forEach(metadata -> assertEquals(group, metadata.get("consumerGroup")));
      assertEquals("500", byTopic.get("aligntok.images").get("lagThreshold"));
      assertEquals("16", byTopic.get("aligntok.prompts").get("lagThreshold"));
      assertEquals("false", byTopic.get("aligntok.images").get("allowIdleConsumers"));

      // The chart's defaults are the app's own: a rename on either side fails here.
      JsonNode service = YAML.readTree(AligntokChart.REPO.resolve("stream-app/src/main/resources/application.yml").toFile())
          .path("aligntok");
      assertEquals(service.at("/kafka/application-id").asText(), group);
      assertEquals(service.at("/topics/images").asText(), app.at("/aligntok/topics/images").asText());
      assertEquals(service.at("/topics/prompts").asText(), app.at("/aligntok/topics/prompts").asText());
    }

    @Test
    void kedaFollowsRenamedTopicsAndOnlyTheEnabledPipelines() {
      RenderedChart renamed = AligntokChart.template(null, Map.of("autoscaling.keda.enabled", true,
          "kafka.applicationId", "acme-tokens", "topics.images", "acme.img", "topics.prompts", "acme.gen"));
      Map<String, Map<?, ?>> byTopic = kafkaTriggersByTopic(renamed);
      assertEquals(List.of("acme.img", "acme.gen"), List.copyOf(byTopic.keySet()));
      byTopic.values().forEach(metadata -> assertEquals("acme-tokens", metadata.get("consumerGroup")));

      RenderedChart tokenizeOnly = AligntokChart.template(null, Map.of("autoscaling.keda.enabled", true,
          "generate.enabled", false));
      assertEquals(List.of("aligntok.images"), List.copyOf(kafkaTriggersByTopic(tokenizeOnly).keySet()));
      RenderedChart generateOnly = AligntokChart.template(null, Map.of("autoscaling.keda.enabled", true,
          "tokenize.enabled", false));
      assertEquals(List.of("aligntok.prompts"), List.copyOf(kafkaTriggersByTopic(generateOnly).keySet()));
    }

    @Test
    void kedaMayScaleUpToThePartitionCountAndNoFurther() {
      RenderedChart chart = AligntokChart.template(null, Map.of("autoscaling.keda.enabled", true,
          "autoscaling.keda.maxReplicas", 12));
      GenericKubernetesResource scaled = chart.custom("ScaledObject").get(0);
      assertEquals(12, ((Number) RenderedChart.at(scaled, "spec", "maxReplicaCount")).intValue());
      Exception refusal = assertThrows(Exception.class, () -> AligntokChart.template(null, Map.of(
          "autoscaling.keda.enabled", true, "autoscaling.keda.maxReplicas", 7, "topics.partitions", 6)));
      assertTrue(refusal.getMessage().contains("autoscaling.keda.maxReplicas (7) exceeds topics.partitions (6)"),
          refusal.getMessage());
    }

    @ParameterizedTest(name = "{0} -> num.standby.replicas {1}")
    @MethodSource("standbys")
    void aStandbyWheneverASecondPodMayRun(Map<String, Object> sets, String expected) {
      RenderedChart chart = AligntokChart.template(null, sets);
      assertEquals(expected, appConfig(chart).at("/aligntok/kafka/properties/num.standby.replicas").asText());
    }

    static Stream<Arguments> standbys() {
      return Stream.of(
          Arguments.of(Map.of(), "0"),
          Arguments.of(Map.of("replicaCount", 3), "1"),
          Arguments.of(Map.of("autoscaling.keda.enabled", true), "1"),
          Arguments.of(Map.of("autoscaling.keda.enabled", true, "autoscaling.keda.maxReplicas", 1), "0"),
          Arguments.of(Map.of("autoscaling.hpa.enabled", true), "1"),
          Arguments.of(Map.of("replicaCount", 3, "kafka.numStandbyReplicas", 2), "2"),
          Arguments.of(Map.of("replicaCount", 3, "kafka.numStandbyReplicas", 0), "0"));
    }

    /** The ScaledObject's kafka triggers' metadata, by topic, in trigger order. */
    private static Map<String, Map<?, ?>> kafkaTriggersByTopic(RenderedChart chart) {
      GenericKubernetesResource scaled = chart.custom("ScaledObject").get(0);
      Map<String, Map<?, ?>> byTopic = new LinkedHashMap<>();
      for (Object trigger : (List<?>) RenderedChart.at(scaled, "spec", "triggers")) {
        assertEquals("kafka", ((Map<?, ?>) trigger).get("type"));
        Map<?, ?> metadata = (Map<?, ?>) ((Map<?, ?>) trigger).get("metadata");
        assertNull(byTopic.put((String) metadata.get("topic"), metadata), "two triggers on " + metadata.get("topic"));
      }
      return byTopic;
    }
  }

  @Nested
  class BundleDelivery {
    @Test
    void anInitContainerFetchesTheBundleIntoAnEmptyDirTheAppReadsReadOnly() {
      RenderedChart chart = AligntokChart.template(null, Map.of(
          "bundle.source", "initContainer",
          "bundle.initContainer.image", "example/bundle-fetcher:1",
          "bundle.initContainer.args[0]", "s3://bundles/v3",
          "bundle.initContainer.env[0].name", "AWS_SECRET_ACCESS_KEY",
          "bundle.initContainer.env[0].valueFrom.secretKeyRef.name", "bundle-store",
          "bundle.initContainer.env[0].valueFrom.secretKeyRef.key", "secret-key"));
      PodSpec pod = podSpec(chart);
      Container fetch = pod.getInitContainers().get(0);
      assertEquals("example/bundle-fetcher:1", fetch.getImage());
      assertEquals("/models/bundle", env(fetch, "BUNDLE_DIR").getValue());
      assertSecretRef(fetch, "AWS_SECRET_ACCESS_KEY", "bundle-store", "secret-key");
      assertEquals(Boolean.TRUE, fetch.getSecurityContext().getReadOnlyRootFilesystem());
      assertEquals("/models", mount(fetch, "bundle").getMountPath());
      assertNotNull(volume(pod, "bundle").getEmptyDir());
      assertEquals(Boolean.TRUE, mount(appContainer(chart), "bundle").getReadOnly());
    }

    @Test
    void aBlobVolumeIsMountedWhereItsRootsAreAndTheKnobsReachTheApp() {
      RenderedChart chart = AligntokChart.template(null, Map.of(
          "blobStore.volume.persistentVolumeClaim.claimName", "shared-blobs",
          "blobStore.allowedRoots[0]", "/data/blobs/incoming",
          "blobStore.outputRoot", "/data/blobs/generated",
          "generate.blobThresholdBytes", 524288,
          "tokenize.latentDtype", "F16"));
      JsonNode config = appConfig(chart);
      assertEquals(List.of("/data/blobs/incoming"), textList(config.at("/aligntok/blob/allowed-roots")));
      assertEquals("/data/blobs/generated", config.at("/aligntok/blob/output-root").asText());
      assertEquals(524288, config.at("/aligntok/generate/blob-threshold-bytes").asLong());
      assertEquals("F16", config.at("/aligntok/tokenize/latent-dtype").asText());
      assertEquals("shared-blobs", volume(podSpec(chart), "blobs").getPersistentVolumeClaim().getClaimName());
      VolumeMount blobs = mount(appContainer(chart), "blobs");
      assertEquals("/data/blobs", blobs.getMountPath());
      assertEquals(Boolean.FALSE, blobs.getReadOnly(), "the output root is written");
    }

    @Test
    void withoutPersistenceStateLivesInAnEmptyDir() {
      RenderedChart chart = AligntokChart.template(null, Map.of("persistence.enabled", false));
      assertNotNull(volume(podSpec(chart), "state").getEmptyDir());
      assertTrue(chart.single(StatefulSet.class).getSpec().getVolumeClaimTemplates().isEmpty());
    }
  }

  @Nested
  class Webhooks {
    @Test
    void theSecretComesFromTheNamedSecretAndEveryKnobReachesTheAppUnderItsOwnName() throws IOException {
      RenderedChart chart = AligntokChart.template(null, Map.of("webhooks.enabled", true,
          "webhooks.existingSecret", "aligntok-webhooks", "webhooks.allowedHosts[0]", "hooks.example.com",
          "webhooks.allowedHosts[1]", "203.0.113.0/24", "webhooks.maxAttempts", 3, "webhooks.maxBackoff", "1m",
          "webhooks.publicUrl", "https://api.example.com"));
      assertSecretRef(appContainer(chart), "ALIGNTOK_WEBHOOKS_SECRET", "aligntok-webhooks", "secret");
      JsonNode webhooks = appConfig(chart).at("/aligntok/webhooks");
      assertTrue(webhooks.at("/enabled").asBoolean());
      assertTrue(webhooks.at("/secret").isMissingNode(), "the ConfigMap never holds the secret");
      assertEquals(List.of("hooks.example.com", "203.0.113.0/24"), textList(webhooks.at("/allowed-hosts")));
      assertEquals(3, webhooks.at("/max-attempts").asInt());
      assertEquals("1s", webhooks.at("/initial-backoff").asText());
      assertEquals("1m", webhooks.at("/max-backoff").asText());
      assertEquals("5s", webhooks.at("/connect-timeout").asText());
      assertEquals("10s", webhooks.at("/read-timeout").asText());
      assertEquals(8, webhooks.at("/concurrency").asInt());
      assertEquals(1000, webhooks.at("/max-pending").asInt());
      assertEquals(0, webhooks.at("/lane-concurrency").asInt(), "0: half of concurrency, computed by the service");
      assertEquals(10, webhooks.at("/suspend-after").asInt());
      assertEquals(0, webhooks.at("/lane-max-pending").asInt(), "0: a quarter of max-pending, computed by the service");
      assertEquals("1m", webhooks.at("/lane-max-wait").asText());
      assertEquals("https://api.example.com", webhooks.at("/public-url").asText());

      // Every key the chart writes is one the service reads: a rename on either side fails here.
      JsonNode service = YAML.readTree(AligntokChart.REPO.resolve("stream-app/src/main/resources/application.yml").toFile())
          .path("aligntok");
      webhooks.fieldNames().forEachRemaining(key ->
          assertFalse(service.at("/webhooks/" + key).isMissingNode(), "aligntok.webhooks." + key + " is not in the app's application.yml"));
      assertTrue(service.at("/webhooks/secret").asText().contains("${ALIGNTOK_WEBHOOKS_SECRET"),
          "the app reads its secret from the variable the chart sets");
      assertFalse(service.at("/generate/progress-interval").isMissingNode(), "aligntok.generate.progress-interval");
    }
  }

  @Nested
  class InvalidValues {
    /** Each case: --set pairs, then fragments the refusal must contain (the offending key and why). */
    static Stream<Arguments> refused() {
      return Stream.of(
          Arguments.of(Map.of("replicaCount", -1), List.of("replicaCount", "greater than or equal to 0")),
          Arguments.of(Map.of("kafka.bootstrapServers", ""), List.of("kafka.bootstrapServers", "length must be greater")),
          Arguments.of(Map.of("kafka.bootstrapServers", "kafka"), List.of("kafka.bootstrapServers", "pattern")),
          Arguments.of(Map.of("schemaRegistry.url", "registry:8081"), List.of("schemaRegistry.url", "pattern")),
          Arguments.of(Map.of("model.providers[0]", "OPENVINO"),
              List.of("model.providers.0", "must be one of the following: \"TENSORRT\", \"CUDA\", \"CPU\"")),
          Arguments.of(Map.of("auth.existingSecret", ""), List.of("auth.existingSecret")),
          Arguments.of(Map.of("generate.maxWait", "soon"), List.of("generate.maxWait", "pattern")),
          Arguments.of(Map.of("tokenize.latentDtype", "BF16"), List.of("tokenize.latentDtype", "\"F32\", \"F16\"")),
          Arguments.of(Map.of("blobStore.allowedRoots[0]", "relative/dir"), List.of("blobStore.allowedRoots.0", "pattern")),
          Arguments.of(Map.of("kafka.securityProtocol", "SASL_SSL"),
              List.of("kafka.tls.existingSecret", "kafka.sasl.existingSecret")),
          Arguments.of(Map.of("gpu.enabled", true), List.of("image.flavor", "\"gpu\"")),
          Arguments.of(Map.of("model.providers[0]", "TENSORRT"), List.of("image.flavor", "\"gpu\"")),
          Arguments.of(Map.of("bundle.source", "initContainer"), List.of("bundle.initContainer.image")),
          Arguments.of(Map.of("securityContext.readOnlyRootFilesystem", false),
              List.of("securityContext.readOnlyRootFilesystem")),
          Arguments.of(Map.of("podSecurityContext.runAsNonRoot", false), List.of("podSecurityContext.runAsNonRoot")),
          Arguments.of(Map.of("kafka.batchSize", 10), List.of("kafka", "Additional property batchSize is not allowed")),
          // Rules that compare two values are checked while rendering, with the same kind of message.
          Arguments.of(Map.of("autoscaling.keda.enabled", true, "autoscaling.keda.maxReplicas", 13),
              List.of("autoscaling.keda.maxReplicas (13) exceeds topics.partitions (12)")),
          Arguments.of(Map.of("replicaCount", 13), List.of("replicaCount (13) exceeds topics.partitions (12)")),
          Arguments.of(Map.of("autoscaling.hpa.enabled", true, "autoscaling.hpa.maxReplicas", 13),
              List.of("autoscaling.hpa.maxReplicas (13) exceeds topics.partitions (12)")),
          Arguments.of(Map.of("kafka.numStandbyReplicas", "one"), List.of("kafka.numStandbyReplicas")),
          Arguments.of(Map.of("autoscaling.keda.enabled", true, "autoscaling.hpa.enabled", true),
              List.of("choose one autoscaler")),
          Arguments.of(Map.of("tokenize.enabled", false, "generate.enabled", false), List.of("enable at least one topology")),
          Arguments.of(Map.of("generate.blobThresholdBytes", 1000),
              List.of("generate.blobThresholdBytes (1000)", "blobStore.outputRoot is empty")),
          Arguments.of(Map.of("model.intraOpThreads", -1), List.of("intraOpThreads")),
          Arguments.of(Map.of("kafka.closeTimeoutSeconds", 120),
              List.of("kafka.closeTimeoutSeconds (120) must be below terminationGracePeriodSeconds (120)")),
          Arguments.of(Map.of("extraEnv[0].name", "DB_PASSWORD", "extraEnv[0].value", "hunter2"),
              List.of("extraEnv[0] (DB_PASSWORD)", "secretKeyRef")),
          Arguments.of(Map.of("auth.jwt.existingSecret", "idp", "auth.jwt.publicKeyKey", "pem",
              "auth.jwt.issuer", "https://idp.example"), List.of("auth.jwt.audience is empty", "requireAudience=false")),
          Arguments.of(Map.of("service.managementPort", 8080), List.of("service.managementPort (8080)")),
          Arguments.of(Map.of("webhooks.enabled", true), List.of("webhooks.existingSecret is empty")),
          Arguments.of(Map.of("tokenize.ownerSecret", ""),
              List.of("tokenize.ownerSecret is empty while auth.enabled is true", "kubectl create secret generic")),
          Arguments.of(Map.of("webhooks.maxAttempts", 0), List.of("webhooks.maxAttempts", "greater than or equal to 1")),
          Arguments.of(Map.of("generate.progressInterval", "1sec"), List.of("generate.progressInterval", "pattern")),
          Arguments.of(Map.of("kafka.maxRunDuration", "half an hour"), List.of("kafka.maxRunDuration")),
          Arguments.of(Map.of("quotas.maxInFlight", -1), List.of("quotas.maxInFlight", "greater than or equal to 0")),
          Arguments.of(Map.of("quotas.maxTrackedCallers", 0), List.of("quotas.maxTrackedCallers", "greater than or equal to 1")),
          Arguments.of(Map.of("kafka.properties.sasl\\.jaas\\.config", "x"),
              List.of("sasl.jaas.config holds a literal credential", "${ENV_VAR} placeholder")));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void areRefusedNamingTheKeyAndTheReason(Map<String, Object> sets, List<String> expected) {
      Exception refusal = assertThrows(Exception.class, () -> AligntokChart.template(null, sets));
      for (String fragment : expected) {
        assertTrue(refusal.getMessage().contains(fragment), "expected '" + fragment + "' in: " + refusal.getMessage());
      }
    }

    @Test
    void aValidChangeStillRenders() {
      RenderedChart chart = AligntokChart.template(null, Map.of("replicaCount", 12, "auth.enabled", false));
      assertEquals(12, chart.single(StatefulSet.class).getSpec().getReplicas());
      assertFalse(appConfig(chart).at("/aligntok/auth/enabled").asBoolean());
      assertTrue(appContainer(chart).getEnv().stream().noneMatch(e -> e.getName().equals("ALIGNTOK_AUTH_API_KEYS")));
    }

    @Test
    void quotasReachTheAppAndZeroMeansUnlimited() {
      JsonNode quotas = appConfig(AligntokChart.template(null, Map.of("quotas.maxInFlight", 0,
          "quotas.submissionsPerMinute", 600, "quotas.maxTrackedCallers", 5000))).at("/aligntok/quotas");
      assertEquals(0, quotas.at("/max-in-flight").asInt());
      assertEquals(600, quotas.at("/submissions-per-minute").asInt());
      assertEquals(5000, quotas.at("/max-tracked-callers").asInt());
    }

    @Test
    void theUploadOwnerSecretComesFromASecretAndTheLatentLookupKnobsReachTheApp() {
      RenderedChart plain = AligntokChart.template(null, Map.of());
      assertSecretRef(appContainer(plain), "ALIGNTOK_TOKENIZE_OWNER_SECRET", "aligntok-owner-secret", "owner-secret");
      assertSecretRef(appContainer(plain), "ALIGNTOK_TOKENIZE_PREVIOUS_OWNER_SECRET", "aligntok-owner-secret",
          "previous-owner-secret");
      assertEquals(Boolean.TRUE, appContainer(plain).getEnv().stream()
          .filter(e -> e.getName().equals("ALIGNTOK_TOKENIZE_PREVIOUS_OWNER_SECRET")).findFirst().orElseThrow()
          .getValueFrom().getSecretKeyRef().getOptional(), "only during a rotation does the Secret hold it");
      RenderedChart noAuth = AligntokChart.template(null, Map.of("auth.enabled", false, "tokenize.ownerSecret", ""));
      assertTrue(appContainer(noAuth).getEnv().stream().noneMatch(e -> e.getName().equals("ALIGNTOK_TOKENIZE_OWNER_SECRET")),
          "no owners without auth: the app makes a key per pod");
      assertTrue(appConfig(plain).at("/aligntok/tokenize/lookup-enabled").asBoolean());
      assertEquals("24h", appConfig(plain).at("/aligntok/tokenize/lookup-retention").asText());

      RenderedChart chart = AligntokChart.template(null, Map.of("tokenize.ownerSecret", "upload-owners",
          "tokenize.lookupEnabled", false, "tokenize.lookupRetention", "2h"));
      assertSecretRef(appContainer(chart), "ALIGNTOK_TOKENIZE_OWNER_SECRET", "upload-owners", "owner-secret");
      assertFalse(appConfig(chart).at("/aligntok/tokenize/lookup-enabled").asBoolean());
      assertEquals("2h", appConfig(chart).at("/aligntok/tokenize/lookup-retention").asText());
      assertTrue(appConfig(chart).at("/aligntok/tokenize/owner-secret").isMissingNode(), "never in the ConfigMap");
    }

    @Test
    void bearerTokensAloneNeedNoApiKeySecret() {
      RenderedChart chart = AligntokChart.template(null, Map.of("auth.existingSecret", "",
          "auth.jwt.existingSecret", "idp-keys", "auth.jwt.publicKeyKey", "public.pem",
          "auth.jwt.issuer", "https://idp.example", "auth.jwt.audience", "aligntok"));
      Container app = appContainer(chart);
      assertSecretRef(app, "ALIGNTOK_AUTH_JWT_PUBLIC_KEY", "idp-keys", "public.pem");
      assertTrue(app.getEnv().stream().anyMatch(e -> e.getName().equals("ALIGNTOK_AUTH_JWT_ISSUER")
          && "https://idp.example".equals(e.getValue())));
      assertTrue(app.getEnv().stream().noneMatch(e -> e.getName().equals("ALIGNTOK_AUTH_API_KEYS")));
    }
  }

  private static void assertLintPassed(LintResult result) {
    assertFalse(result.isFailed(), "helm lint failed: " + result.getMessages());
  }

  private static void assertHttpProbe(Probe probe, String path) {
    assertNotNull(probe, "probe for " + path);
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals("http", probe.getHttpGet().getPort().getStrVal());
  }

  private static void assertSecretRef(Container container, String variable, String secret, String key) {
    EnvVar env = env(container, variable);
    assertNull(env.getValue(), variable + " must not carry a literal value");
    SecretKeySelector ref = env.getValueFrom().getSecretKeyRef();
    assertEquals(secret, ref.getName(), variable);
    assertEquals(key, ref.getKey(), variable);
  }

  static PodSpec podSpec(RenderedChart chart) {
    return chart.single(StatefulSet.class).getSpec().getTemplate().getSpec();
  }

  static Container appContainer(RenderedChart chart) {
    return podSpec(chart).getContainers().stream().filter(c -> c.getName().equals("stream-app")).findFirst()
        .orElseThrow(() -> new AssertionError("no stream-app container"));
  }

  /** The application.yml the ConfigMap hands to Micronaut. */
  static JsonNode appConfig(RenderedChart chart) {
    ConfigMap map = chart.single(ConfigMap.class);
    try {
      return YAML.readTree(map.getData().get("application.yml"));
    } catch (IOException e) {
      throw new AssertionError("application.yml in the ConfigMap is not YAML", e);
    }
  }

  private static EnvVar env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no environment variable " + name));
  }

  private static VolumeMount mount(Container container, String volume) {
    return container.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
        .orElseThrow(() -> new AssertionError("no mount of volume " + volume + " in " + container.getName()));
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static PersistentVolumeClaim claimTemplate(StatefulSet set, String name) {
    return set.getSpec().getVolumeClaimTemplates().stream().filter(c -> c.getMetadata().getName().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no volume claim template " + name));
  }

  private static List<String> textList(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
