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
import java.util.Set;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final long NOW = 1_800_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

  private final JwtVerifier hmac = new JwtVerifier(
      new AuthSettings(true, List.of(), SECRET, null, "https://issuer.test", "aligntok", null, null), CLOCK);

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
    JwtVerifier rsa = new JwtVerifier(new AuthSettings(true, List.of(), null, pem, null, null, null, null), CLOCK);

    assertEquals(Optional.empty(), rsa.rejection(TestJwts.rs256(pair.getPrivate(),
        "{\"sub\":\"svc\",\"exp\":" + (NOW + 60) + "}")));
    // The public key is public: a token "signed" with it as an HMAC secret must not pass.
    Optional<String> confused = rsa.rejection(TestJwts.hs256(pem, "{\"exp\":" + (NOW + 60) + "}"));
    assertTrue(confused.orElseThrow().contains("is not the configured RS256"), confused.toString());
  }

  @Test
  void misconfigurationFailsTheStartWithTheSettingsName() {
    IllegalArgumentException shortSecret = assertThrows(IllegalArgumentException.class,
        () -> new AuthSettings(true, List.of(), "short", null, null, null, null, null));
    assertTrue(shortSecret.getMessage().contains("jwt-hmac-secret"), shortSecret.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new AuthSettings(true, List.of(), SECRET, "pem", null, null, null, null));
    IllegalArgumentException notPem = assertThrows(IllegalArgumentException.class,
        () -> new JwtVerifier(new AuthSettings(true, List.of(), null, "not a key", null, null, null, null), CLOCK));
    assertTrue(notPem.getMessage().contains("jwt-public-key"), notPem.getMessage());
    IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
        () -> new AuthSettings(true, List.of(), null, null, null, null, null, null).requireAWayIn(0));
    assertTrue(nothing.getMessage().contains("ALIGNTOK_AUTH_JWT_HMAC_SECRET"), nothing.getMessage());
  }

  @Test
  void refusesCritHeadersNonNumericTimeClaimsAndTokensWithoutSubject() {
    String claims = claims(NOW + 300, "\"aligntok\"");
    assertRejected("crit", TestJwts.hs256WithHeader(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", claims));
    assertRejected("exp is not a number", TestJwts.hs256(SECRET, claims.replace("\"exp\":" + (NOW + 300),
        "\"exp\":\"" + (NOW + 300) + "\"")));
    for (String time : List.of("nbf", "iat")) {
      String withText = claims.replace("}", ",\"" + time + "\":\"" + (NOW + 9999) + "\"}");
      assertRejected(time + " is not a number", TestJwts.hs256(SECRET, withText));
    }
    assertRejected("no sub", TestJwts.hs256(SECRET, claims.replace(",\"sub\":\"client-7\"", "")));
    String longSub = claims.replace("client-7", "x".repeat(JwtVerifier.MAX_SUBJECT_CHARS + 1));
    assertRejected("sub has", TestJwts.hs256(SECRET, longSub));
    // Numeric time claims in the past and an iat are fine.
    assertEquals(Optional.empty(), hmac.rejection(TestJwts.hs256(SECRET,
        claims.replace("}", ",\"nbf\":" + (NOW - 10) + ",\"iat\":" + (NOW - 10) + "}"))));
  }

  @Test
  void aTokenNamesItsCallerAndRolesFromTheConfiguredClaim() {
    Caller plain = hmac.verify(TestJwts.hs256(SECRET, claims(NOW + 300, "\"aligntok\""))).caller();
    assertEquals("jwt:client-7@https://issuer.test", plain.owner());
    assertEquals(Role.DEFAULT, plain.roles(), "no roles claim: submit and read");
    String spaced = claims(NOW + 300, "\"aligntok\"").replace("}", ",\"roles\":\"admin openid\"}");
    assertEquals(Set.of(Role.ADMIN), hmac.verify(TestJwts.hs256(SECRET, spaced)).caller().roles(),
        "space-separated; unknown names ignored");
    String array = claims(NOW + 300, "\"aligntok\"").replace("}", ",\"roles\":[\"read\"]}");
    assertEquals(Set.of(Role.READ), hmac.verify(TestJwts.hs256(SECRET, array)).caller().roles());

    JwtVerifier scoped = new JwtVerifier(
        new AuthSettings(true, List.of(), SECRET, null, "https://issuer.test", "aligntok", null, "scope"), CLOCK);
    String scope = claims(NOW + 300, "\"aligntok\"").replace("}", ",\"scope\":\"submit\",\"roles\":\"admin\"}");
    assertEquals(Set.of(Role.SUBMIT), scoped.verify(TestJwts.hs256(SECRET, scope)).caller().roles());
  }

  @Test
  void anIssuerWithoutAudienceFailsTheStartUnlessExplicitlyAllowed() {
    IllegalArgumentException noAudience = assertThrows(IllegalArgumentException.class,
        () -> new AuthSettings(true, List.of(), SECRET, null, "https://idp.example", null, null, null));
    assertTrue(noAudience.getMessage().contains("aligntok.auth.jwt-audience")
        && noAudience.getMessage().contains("jwt-require-audience=false"), noAudience.getMessage());
    JwtVerifier dedicated = new JwtVerifier(
        new AuthSettings(true, List.of(), SECRET, null, "https://issuer.test", null, false, null), CLOCK);
    assertEquals(Optional.empty(), dedicated.rejection(TestJwts.hs256(SECRET,
        "{\"iss\":\"https://issuer.test\",\"sub\":\"a\",\"exp\":" + (NOW + 60) + "}")));
    // With an audience configured it is required, whether or not an issuer is.
    JwtVerifier noIssuer = new JwtVerifier(
        new AuthSettings(true, List.of(), SECRET, null, null, "aligntok", null, null), CLOCK);
    assertTrue(noIssuer.rejection(TestJwts.hs256(SECRET, "{\"sub\":\"a\",\"exp\":" + (NOW + 60) + "}"))
        .orElseThrow().contains("audience"));
  }

  @Test
  void rsaKeysShorterThan2048BitsAreRefusedAtStart() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(
        generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    IllegalArgumentException weak = assertThrows(IllegalArgumentException.class,
        () -> new JwtVerifier(new AuthSettings(true, List.of(), null, pem, null, null, null, null), CLOCK));
    assertTrue(weak.getMessage().contains("1024-bit") && weak.getMessage().contains("2048"), weak.getMessage());
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
