package dev.aligntok.stream.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.stream.service.config.AuthSettings;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final long NOW = 1_800_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

  private final JwtVerifier hmac = new JwtVerifier(
      new AuthSettings(true, List.of(), SECRET, null, "https://issuer.test", "aligntok"), CLOCK);

  @Test
  void acceptsAValidHs256TokenWithAudienceAsStringOrArray() {
    assertEquals(Optional.empty(), hmac.rejection(TestJwts.hs256(SECRET, claims(NOW + 300, "\"aligntok\""))));
    assertEquals(Optional.empty(), hmac.rejection(TestJwts.hs256(SECRET, claims(NOW + 300, "[\"other\",\"aligntok\"]"))));
  }

  @Test
  void refusesTamperedExpiredForeignAndUnsignedTokensSayingWhy() {
    String valid = TestJwts.hs256(SECRET, claims(NOW + 300, "\"aligntok\""));
    String[] parts = valid.split("\\.");
    String otherPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
        claims(NOW + 99_999, "\"aligntok\"").getBytes());
    assertRejected("invalid token signature", parts[0] + "." + otherPayload + "." + parts[2]);
    assertRejected("invalid token signature", TestJwts.hs256("another-secret-of-at-least-32-bytes", claims(NOW + 300, "\"aligntok\"")));
    assertRejected("expired", TestJwts.hs256(SECRET, claims(NOW - 3600, "\"aligntok\"")));
    assertRejected("audience", TestJwts.hs256(SECRET, claims(NOW + 300, "\"someone-else\"")));
    assertRejected("issuer", TestJwts.hs256(SECRET, "{\"iss\":\"https://evil.test\",\"aud\":\"aligntok\",\"exp\":" + (NOW + 300) + "}"));
    assertRejected("no exp", TestJwts.hs256(SECRET, "{\"iss\":\"https://issuer.test\",\"aud\":\"aligntok\"}"));
    assertRejected("not valid yet", TestJwts.hs256(SECRET, "{\"iss\":\"https://issuer.test\",\"aud\":\"aligntok\",\"exp\":"
        + (NOW + 900) + ",\"nbf\":" + (NOW + 600) + "}"));
    assertRejected("algorithm 'none'", TestJwts.unsigned("none", claims(NOW + 300, "\"aligntok\"")));
    assertRejected("not a JWT", "abc.def");
    assertRejected("malformed", "%%%.e30.e30");
  }

  @Test
  void withinTheClockSkewAnExpiredTokenStillCounts() {
    assertEquals(Optional.empty(), hmac.rejection(TestJwts.hs256(SECRET, claims(NOW - JwtVerifier.SKEW_SECONDS / 2, "\"aligntok\""))));
  }

  @Test
  void rs256WithThePublicKeyAndNoAlgorithmConfusion() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair pair = generator.generateKeyPair();
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    JwtVerifier rsa = new JwtVerifier(new AuthSettings(true, List.of(), null, pem, null, null), CLOCK);

    assertEquals(Optional.empty(), rsa.rejection(TestJwts.rs256(pair.getPrivate(), "{\"exp\":" + (NOW + 60) + "}")));
    // The public key is public: a token "signed" with it as an HMAC secret must not pass.
    Optional<String> confused = rsa.rejection(TestJwts.hs256(pem, "{\"exp\":" + (NOW + 60) + "}"));
    assertTrue(confused.orElseThrow().contains("is not the configured RS256"), confused.toString());
  }

  @Test
  void misconfigurationFailsTheStartWithTheSettingsName() {
    IllegalArgumentException shortSecret = assertThrows(IllegalArgumentException.class,
        () -> new AuthSettings(true, List.of(), "short", null, null, null));
    assertTrue(shortSecret.getMessage().contains("jwt-hmac-secret"), shortSecret.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new AuthSettings(true, List.of(), SECRET, "pem", null, null));
    IllegalArgumentException notPem = assertThrows(IllegalArgumentException.class,
        () -> new JwtVerifier(new AuthSettings(true, List.of(), null, "not a key", null, null), CLOCK));
    assertTrue(notPem.getMessage().contains("jwt-public-key"), notPem.getMessage());
    IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
        () -> new AuthSettings(true, List.of(), null, null, null, null));
    assertTrue(nothing.getMessage().contains("ALIGNTOK_AUTH_JWT_HMAC_SECRET"), nothing.getMessage());
  }

  private void assertRejected(String expectedReason, String token) {
    Optional<String> rejection = hmac.rejection(token);
    assertTrue(rejection.isPresent() && rejection.get().contains(expectedReason),
        "expected a rejection naming '" + expectedReason + "', got " + rejection);
  }

  private static String claims(long exp, String audJson) {
    return "{\"iss\":\"https://issuer.test\",\"aud\":" + audJson + ",\"exp\":" + exp + ",\"sub\":\"client-7\"}";
  }
}
