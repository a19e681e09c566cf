package dev.aligntok.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

  @Test
  void readsConfluentPropertyNames() {
    RegistryClientConfig config = RegistryClientConfig.fromProperties(Map.of(
        "schema.registry.url", "http://a:8081/, http://b:8081",
        "basic.auth.credentials.source", "USER_INFO",
        "basic.auth.user.info", "fred:secret",
        "schema.registry.request.timeout.ms", "1500",
        "schema.registry.max.retries", "2"));
    assertEquals(List.of(URI.create("http://a:8081"), URI.create("http://b:8081")), config.urls());
    assertEquals("Basic ZnJlZDpzZWNyZXQ=", config.authorization().orElseThrow());
    assertEquals(Duration.ofMillis(1500), config.requestTimeout());
    assertEquals(2, config.retry().maxRetries());
  }

  @Test
  void bearerTokenBecomesAnAuthorizationHeader() {
    RegistryClientConfig config = RegistryClientConfig.fromProperties(Map.of(
        "schema.registry.url", "https://r",
        "bearer.auth.credentials.source", "STATIC_TOKEN",
        "bearer.auth.token", "tok"));
    assertEquals("Bearer tok", config.authorization().orElseThrow());
  }

  @Test
  void badValuesNameTheProperty() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> RegistryClientConfig.fromProperties(Map.of()));
    assertTrue(missing.getMessage().contains("schema.registry.url"), missing.getMessage());

    IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
        () -> RegistryClientConfig.fromProperties(Map.of("schema.registry.url", "http://r",
            "schema.registry.max.retries", "many")));
    assertTrue(notNumber.getMessage().contains("schema.registry.max.retries"), notNumber.getMessage());

    IllegalArgumentException badScheme = assertThrows(IllegalArgumentException.class,
        () -> RegistryClientConfig.of("ftp://r"));
    assertTrue(badScheme.getMessage().contains("ftp://r"), badScheme.getMessage());

    IllegalArgumentException missingStore = assertThrows(IllegalArgumentException.class,
        () -> RegistryClientConfig.fromProperties(Map.of("schema.registry.url", "https://r",
            "schema.registry.ssl.truststore.location", "/nonexistent/truststore.p12")));
    assertTrue(missingStore.getMessage().contains("truststore.location"), missingStore.getMessage());
  }

  @Test
  void retryDelaysGrowAndAreCapped() {
    RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000));
    long first = policy.delayBefore(1).toMillis();
    long fourth = policy.delayBefore(4).toMillis();
    long tenth = policy.delayBefore(10).toMillis();
    assertTrue(first >= 80 && first <= 120, "first " + first);
    assertTrue(fourth >= 640 && fourth <= 960, "fourth " + fourth);
    assertTrue(tenth <= 1200, "tenth " + tenth);
  }
}
