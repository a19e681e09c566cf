package dev.aligntok.tests.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryAuthException;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.RegistryServerException;
import dev.aligntok.schemas.registry.RegistryUnavailableException;
import dev.aligntok.schemas.registry.RetryPolicy;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.tests.harness.FreePorts;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries, failover, timeouts, authentication, TLS and caching of our registry client, against the
 * real registry behind a proxy that injects the faults.
 */
@WithRealStack
@Timeout(60)
class RegistryClientBehaviourTest {
  private static final RetryPolicy FAST_RETRY = new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(50));
  private FaultInjectingProxy proxy;
  private String subject;

  @BeforeEach
  void startProxy(RealStack stack) throws Exception {
    proxy = FaultInjectingProxy.http(URI.create(stack.registryUrl()));
    subject = RealStack.uniqueName("client") + "-value";
  }

  @AfterEach
  void stopProxy() {
    proxy.close();
  }

  private SchemaRegistryClient client(RegistryClientConfig config) {
    return CachedSchemaRegistryClient.create(config);
  }

  private RegistryClientConfig viaProxy() {
    return RegistryClientConfig.of(proxy.url().toString()).withRetry(FAST_RETRY);
  }

  @Test
  void serverErrorsAreRetriedUntilTheyPass() {
    proxy.failNext(2, 503);
    try (SchemaRegistryClient client = client(viaProxy())) {
      int id = client.register(subject, ImageEvent.getClassSchema());
      assertTrue(id > 0);
    }
    assertEquals(3, proxy.seen().size(), "two injected 503s then the real answer");
  }

  @Test
  void retriesGiveUpWithATypedError() {
    proxy.failNext(100, 500);
    try (SchemaRegistryClient client = client(viaProxy())) {
      RegistryServerException e = assertThrows(RegistryServerException.class,
          () -> client.register(subject, ImageEvent.getClassSchema()));
      assertEquals(500, e.httpStatus());
      assertTrue(e.getMessage().contains("injected failure"), e.getMessage());
    }
    assertEquals(FAST_RETRY.maxRetries() + 1, proxy.seen().size());
  }

  @Test
  void droppedConnectionsAreRetried() {
    proxy.dropNext(1);
    try (SchemaRegistryClient client = client(viaProxy())) {
      assertTrue(client.register(subject, ImageEvent.getClassSchema()) > 0);
    }
    assertEquals(2, proxy.seen().size());
  }

  @Test
  void unreachableFirstUrlFailsOverToTheNext() {
    String dead = "http://127.0.0.1:" + FreePorts.freeLoopbackPort() + "/apis/ccompat/v7";
    RegistryClientConfig config = RegistryClientConfig.of(dead + "," + proxy.url()).withRetry(RetryPolicy.NONE);
    try (SchemaRegistryClient client = client(config)) {
      assertTrue(client.register(subject, ImageEvent.getClassSchema()) > 0);
    }
  }

  @Test
  void unreachableRegistryIsAClearRetriableError() {
    String dead = "http://127.0.0.1:" + FreePorts.freeLoopbackPort() + "/apis/ccompat/v7";
    try (SchemaRegistryClient client = client(RegistryClientConfig.of(dead).withRetry(FAST_RETRY))) {
      RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(1));
      assertTrue(e.isRetriable());
      assertTrue(e.getMessage().contains(dead) && e.getMessage().contains("unreachable"), e.getMessage());
    }
  }

  @Test
  void slowAnswersTimeOut() {
    proxy.delayNext(1, 2_000);
    RegistryClientConfig config = viaProxy().withRetry(RetryPolicy.NONE)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(300));
    try (SchemaRegistryClient client = client(config)) {
      RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(1));
      assertTrue(e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
    }
  }

  @Test
  void anAnswerThatStallsMidBodyTimesOut() {
    proxy.stallBodyNext(1);
    RegistryClientConfig config = viaProxy().withRetry(RetryPolicy.NONE)
        .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(500));
    try (SchemaRegistryClient client = client(config)) {
      RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> client.getById(1));
      assertTrue(e.getMessage().contains("timed out"), e.getMessage());
    }
  }

  @Test
  void basicAuthCredentialsAreSentAndWrongOnesAreNotRetried() {
    proxy.requireAuthorization("Basic ZnJlZDpzZWNyZXQ=");
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", proxy.url().toString());
    props.put("basic.auth.credentials.source", "USER_INFO");
    props.put("basic.auth.user.info", "fred:secret");
    try (SchemaRegistryClient client = client(RegistryClientConfig.fromProperties(props))) {
      assertTrue(client.register(subject, ImageEvent.getClassSchema()) > 0);
    }
    proxy.clearSeen();
    props.put("basic.auth.user.info", "fred:wrong");
    try (SchemaRegistryClient client = client(RegistryClientConfig.fromProperties(props))) {
      RegistryAuthException e = assertThrows(RegistryAuthException.class, () -> client.latest(subject));
      assertEquals(401, e.httpStatus());
      assertTrue(e.getMessage().contains("basic.auth.user.info"), e.getMessage());
    }
    assertEquals(1, proxy.seen().size(), "authentication failures are not retried");
  }

  @Test
  void bearerTokenIsSent() {
    proxy.requireAuthorization("Bearer t0ken");
    try (SchemaRegistryClient client = client(viaProxy().withBearerToken("t0ken"))) {
      assertTrue(client.register(subject, ImageEvent.getClassSchema()) > 0);
    }
  }

  @Test
  void tlsWithAConfiguredTrustStore(RealStack stack, @TempDir Path dir) throws Exception {
    SelfSignedTls tls = SelfSignedTls.create(dir);
    try (FaultInjectingProxy https = FaultInjectingProxy.https(URI.create(stack.registryUrl()), tls.serverContext())) {
      Map<String, Object> props = new HashMap<>();
      props.put("schema.registry.url", https.url().toString());
      props.put("schema.registry.ssl.truststore.location", tls.trustStore().toString());
      props.put("schema.registry.ssl.truststore.password", tls.password());
      try (SchemaRegistryClient client = client(RegistryClientConfig.fromProperties(props))) {
        assertTrue(client.register(subject, ImageEvent.getClassSchema()) > 0);
      }
      try (SchemaRegistryClient untrusting = client(RegistryClientConfig.of(https.url().toString()).withRetry(RetryPolicy.NONE))) {
        RegistryUnavailableException e = assertThrows(RegistryUnavailableException.class, () -> untrusting.getById(1));
        assertTrue(e.getCause() instanceof javax.net.ssl.SSLException, "cause: " + e.getCause());
      }
      assertTrue(Files.exists(tls.trustStore()));
    }
  }

  @Test
  void answersAreCachedInBothDirections() {
    try (SchemaRegistryClient client = client(viaProxy())) {
      int id = client.register(subject, LatentEvent.getClassSchema());
      client.register(subject, LatentEvent.getClassSchema());
      client.getById(id);
      client.latest(subject);
      client.latest(subject);
      client.lookup(subject, LatentEvent.getClassSchema());
      client.lookup(subject, LatentEvent.getClassSchema());
    }
    // register once; getById answered from the register cache; latest once; lookup once.
    assertEquals(3, proxy.seen().size(), "requests: " + proxy.seen());
  }
}
