package dev.aligntok.stream.service.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  private static WebhookSettings enabled(String secret, List<String> hosts) {
    return new WebhookSettings(true, secret, hosts, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null);
  }

  private static WebhookSettings lanes(Integer concurrency, Integer laneConcurrency, Integer suspendAfter) {
    return new WebhookSettings(false, null, null, null, null, null, null, null, null, concurrency, null, laneConcurrency,
        suspendAfter, null, null, null, null, null);
  }

  @Test
  void enabledWithoutAGoodSecretIsRefusedNamingTheKey() {
    assertEquals("aligntok.webhooks.secret is not set: webhooks need a signing secret of the form whsec_<base64 of 24 to"
        + " 64 random bytes> (e.g. from `openssl rand -base64 32`)",
        assertThrows(IllegalArgumentException.class, () -> enabled(null, List.of())).getMessage());
    IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class,
        () -> enabled("whsec_c2hvcnQ=", List.of()));
    assertEquals("aligntok.webhooks.secret holds 5 bytes; it needs 24 to 64 random bytes", shortOne.getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> enabled(SECRET, List.of("10.0.0.0/40")))
        .getMessage().startsWith("aligntok.webhooks.allowed-hosts: '10.0.0.0/40'"));
  }

  @Test
  void offNeedsNoSecretAndTheSecretNeverPrints() {
    WebhookSettings off = new WebhookSettings(null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null);
    assertFalse(off.enabled());
    assertEquals(8, off.maxAttempts());
    assertFalse(enabled(SECRET, List.of("*")).toString().contains("MfKQ"));
  }

  @Test
  void aLaneGetsHalfTheThreadsUnlessSetAndNeverMoreThanAll() {
    assertEquals(4, lanes(null, null, null).laneConcurrency());
    assertEquals(10, lanes(null, null, null).suspendAfter());
    assertEquals(250, lanes(null, null, null).laneMaxPending(), "a quarter of max-pending");
    assertEquals(java.time.Duration.ofMinutes(1), lanes(null, null, null).laneMaxWait());
    assertEquals(1, lanes(1, 0, null).laneConcurrency(), "0 is the default: half of concurrency, at least 1");
    assertEquals(2, lanes(5, null, null).laneConcurrency());
    assertEquals(5, lanes(5, 5, 0).laneConcurrency());
    assertEquals("aligntok.webhooks.lane-concurrency must be <= aligntok.webhooks.concurrency (4), got 5",
        assertThrows(IllegalArgumentException.class, () -> lanes(4, 5, null)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> lanes(null, null, -1)).getMessage()
        .startsWith("aligntok.webhooks.suspend-after"));
    assertEquals("aligntok.webhooks.lane-max-pending must be <= aligntok.webhooks.max-pending (10), got 11",
        assertThrows(IllegalArgumentException.class, () -> new WebhookSettings(false, null, null, null, null, null, null,
            null, null, null, 10, null, null, 11, null, null, null, null)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new WebhookSettings(false, null, null, null, null, null,
        null, null, null, null, null, null, null, null, java.time.Duration.ofSeconds(-1), null, null, null)).getMessage()
        .startsWith("aligntok.webhooks.lane-max-wait must be >= 0"));
  }

  @Test
  void theServiceDoesNotStartWithWebhooksOnAndNoSecret() {
    // The delivery is an eager bean: the context start fails on the settings, before any Kafka client.
    BeanInstantiationException e = assertThrows(BeanInstantiationException.class, () -> ApplicationContext.run(
        Map.of("aligntok.webhooks.enabled", "true", "aligntok.webhooks.allowed-hosts", "hooks.example.com,127.0.0.0/8")));
    assertTrue(e.getMessage().contains("aligntok.webhooks.secret is not set"), e.getMessage());
  }
}
