package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** How the service starts, or refuses to, on a real broker: auth switched off, and each misconfiguration's message. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceStartupTest {
  @TempDir
  static Path work;

  private LoopbackKafka kafka;

  @BeforeAll
  void startKafka() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
  }

  @AfterAll
  void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void authenticationIsOffOnlyWhenDisabledExplicitly() {
    try (ServiceUnderTest open = ServiceUnderTest.start(kafka.bootstrapServers(), "auth-off", work.resolve("auth-off"),
        Map.of("aligntok.auth.enabled", "false", "aligntok.auth.api-keys", ""))) {
      open.awaitReady();
      HttpResponse<String> unseen = open.send("GET", "/v1/generations/no-such-id", null, null, null);
      assertEquals(404, unseen.statusCode(), "no key needed: " + unseen.body());
    }
    String refusal = startFailure("auth-no-keys", Map.of("aligntok.auth.api-keys", "", "aligntok.auth.jwt-hmac-secret", "",
        "aligntok.auth.keys.ops.key", ServiceUnderTest.UNSET, "aligntok.auth.keys.ops.roles", ServiceUnderTest.UNSET));
    assertTrue(refusal.contains("neither aligntok.auth.api-keys nor a JWT key"), refusal);
  }

  @Test
  void aStatusTopicThatIsNotCompactedIsRefused() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      NewTopic deleting = new NewTopic("plain.status", Optional.of(1), Optional.empty())
          .configs(Map.of("cleanup.policy", "delete"));
      admin.createTopics(List.of(deleting)).all().get(30, TimeUnit.SECONDS);
    }
    String refusal = startFailure("not-compacted", Map.of("aligntok.topics.status", "plain.status"));
    assertTrue(refusal.contains("plain.status has cleanup.policy=delete"), refusal);
    assertTrue(refusal.contains("cleanup.policy=compact"), "says what to set: " + refusal);
  }

  @Test
  void missingTopicsAreRefusedWhenCreationIsOff() {
    String refusal = startFailure("no-create", Map.of("aligntok.topics.create", "false",
        "aligntok.topics.images", "never.created.images"));
    assertTrue(refusal.contains("never.created.images") && refusal.contains("aligntok.topics.create=false"), refusal);
  }

  @Test
  void aMissingOrBrokenBundleIsRefusedNamingIt() {
    String refusal = startFailure("no-model", Map.of(ServiceTestDoubles.PROPERTY, "false",
        "aligntok.model.bundle-path", "/models/tiny"));
    assertTrue(refusal.contains("bundle /models/tiny") && refusal.contains("does not exist"), refusal);
  }

  /** Starts the service expecting it to fail; the messages of the whole cause chain. */
  @Test
  void blobStoreAndLatentDtypeMisconfigurationsAreRefusedNamingTheKey() {
    String noOutput = startFailure("blob-no-output", Map.of("aligntok.generate.blob-threshold-bytes", 1000));
    assertTrue(noOutput.contains("above 1000 bytes") && noOutput.contains("aligntok.blob.output-root"), noOutput);
    String missingRoot = startFailure("blob-missing-root",
        Map.of("aligntok.blob.allowed-roots", work.resolve("absent") + "," + work));
    assertTrue(missingRoot.contains("aligntok.blob") && missingRoot.contains("absent"), missingRoot);
    String dtype = startFailure("bf16", Map.of("aligntok.tokenize.latent-dtype", "BF16"));
    assertTrue(dtype.contains("aligntok.tokenize.latent-dtype must be F32 or F16"), dtype);
  }

  private String startFailure(String applicationId, Map<String, Object> overrides) {
    RuntimeException failure = assertThrows(RuntimeException.class, () ->
        ServiceUnderTest.start(kafka.bootstrapServers(), applicationId, work.resolve(applicationId), overrides).close());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    return messages.toString();
  }
}
