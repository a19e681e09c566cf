package dev.aligntok.stream.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
  /**
   * The Standard Webhooks specification's example (secret, id, timestamp, body and signature), also
   * recomputed outside Java: {@code printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}'
   * | openssl dgst -sha256 -mac HMAC -macopt hexkey:<hex of the base64-decoded secret> -binary | base64}.
   */
  @Test
  void signsTheStandardWebhooksExample() {
    WebhookSigner signer = new WebhookSigner(WebhookSecret.parse("k", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
    byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);
    assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body));
    assertNotEquals(signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265331L, body),
        signer.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, body), "the timestamp is signed");
  }

  @Test
  void refusesMissingMalformedAndShortSecretsNamingTheKeyNotTheValue() {
    String key = "aligntok.webhooks.secret";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse(key, null)).getMessage()
        .startsWith(key + " is not set"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse(key, "hunter2-hunter2-hunter2-hunter2"))
        .getMessage().contains("must start with whsec_"));
    IllegalArgumentException notBase64 = assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse(key, "whsec_!!!!"));
    assertFalse(notBase64.getMessage().contains("!!!!"), notBase64.getMessage());
    String sixteenBytes = "whsec_AAAAAAAAAAAAAAAAAAAAAA==";
    assertTrue(assertThrows(IllegalArgumentException.class, () -> WebhookSecret.parse(key, sixteenBytes)).getMessage()
        .contains("holds 16 bytes; it needs 24 to 64"));
  }

  @Test
  void theSecretNeverPrints() {
    WebhookSecret secret = WebhookSecret.parse("k", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    assertFalse(secret.toString().contains("MfKQ"), secret.toString());
  }

  @Test
  void webhookIdsAreStablePerRequestAndStateAndDifferAcrossThem() {
    assertEquals(WebhookPayload.webhookId("r1", dev.aligntok.events.GenerationState.SUCCEEDED),
        WebhookPayload.webhookId("r1", dev.aligntok.events.GenerationState.SUCCEEDED));
    assertNotEquals(WebhookPayload.webhookId("r1", dev.aligntok.events.GenerationState.SUCCEEDED),
        WebhookPayload.webhookId("r1", dev.aligntok.events.GenerationState.RUNNING));
    assertNotEquals(WebhookPayload.webhookId("r1", dev.aligntok.events.GenerationState.SUCCEEDED),
        WebhookPayload.webhookId("r2", dev.aligntok.events.GenerationState.SUCCEEDED));
  }
}
