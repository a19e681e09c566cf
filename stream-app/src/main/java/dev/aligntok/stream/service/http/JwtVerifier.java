package dev.aligntok.stream.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.stream.service.config.AuthSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks JSON Web Tokens (compact JWS): the signature with the one configured key — HS256 with a
 * shared secret or RS256 with a public key; the token's {@code alg} must name that algorithm, so
 * neither "none" nor a public key used as an HMAC secret gets through — then {@code exp} (required),
 * {@code nbf}, and the issuer and audience when configured, with {@value #SKEW_SECONDS} s of clock skew.
 */
@Context
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
final class JwtVerifier {
  static final long SKEW_SECONDS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final AuthSettings settings;
  private final Clock clock;
  private final String algorithm;
  private final byte[] hmacSecret;
  private final PublicKey publicKey;

  @Inject
  JwtVerifier(AuthSettings settings) {
    this(settings, Clock.systemUTC());
  }

  JwtVerifier(AuthSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.hmacSecret = settings.jwtHmacSecret() == null ? null : settings.jwtHmacSecret().getBytes(StandardCharsets.UTF_8);
    this.publicKey = settings.jwtPublicKey() == null ? null : rsaPublicKey(settings.jwtPublicKey());
    this.algorithm = hmacSecret != null ? "HS256" : publicKey != null ? "RS256" : null;
  }

  /** Why {@code token} is refused, or empty when it is valid. */
  Optional<String> rejection(String token) {
    if (algorithm == null) {
      return Optional.of("bearer tokens are not accepted here (no JWT key configured); use X-API-Key");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Optional.of("not a JWT (expected header.payload.signature)");
    }
    JsonNode header;
    JsonNode claims;
    byte[] signature;
    try {
      header = JSON.readTree(BASE64URL.decode(parts[0]));
      claims = JSON.readTree(BASE64URL.decode(parts[1]));
      signature = BASE64URL.decode(parts[2]);
    } catch (IllegalArgumentException | IOException e) {
      return Optional.of("malformed JWT: " + e.getMessage());
    }
    if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
      return Optional.of("malformed JWT: header and payload must be JSON objects");
    }
    String alg = header.path("alg").asText("");
    if (!algorithm.equals(alg)) {
      return Optional.of("token algorithm '" + alg + "' is not the configured " + algorithm);
    }
    if (!signatureValid((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
      return Optional.of("invalid token signature");
    }
    return claimsRejection(claims);
  }

  private Optional<String> claimsRejection(JsonNode claims) {
    long now = clock.instant().getEpochSecond();
    if (!claims.path("exp").isNumber()) {
      return Optional.of("token has no exp claim");
    }
    if (now - SKEW_SECONDS >= claims.get("exp").asLong()) {
      return Optional.of("token expired " + Duration.ofSeconds(now - claims.get("exp").asLong()) + " ago");
    }
    if (claims.path("nbf").isNumber() && now + SKEW_SECONDS < claims.get("nbf").asLong()) {
      return Optional.of("token not valid yet (nbf)");
    }
    if (settings.jwtIssuer() != null && !settings.jwtIssuer().equals(claims.path("iss").asText(null))) {
      return Optional.of("token issuer '" + claims.path("iss").asText("") + "' is not " + settings.jwtIssuer());
    }
    if (settings.jwtAudience() != null && !audienceNames(claims.path("aud"), settings.jwtAudience())) {
      return Optional.of("token audience does not include " + settings.jwtAudience());
    }
    return Optional.empty();
  }

  /** {@code aud} is a string or an array of strings. */
  private static boolean audienceNames(JsonNode aud, String audience) {
    if (aud.isTextual()) {
      return aud.asText().equals(audience);
    }
    for (JsonNode entry : aud) {
      if (entry.isTextual() && entry.asText().equals(audience)) {
        return true;
      }
    }
    return false;
  }

  private boolean signatureValid(byte[] signedPart, byte[] signature) {
    try {
      if (hmacSecret != null) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(hmacSecret, "HmacSHA256"));
        return MessageDigest.isEqual(mac.doFinal(signedPart), signature);
      }
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(publicKey);
      rsa.update(signedPart);
      return rsa.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static PublicKey rsaPublicKey(String pem) {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    try {
      return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("aligntok.auth.jwt-public-key is not a PEM RSA public key"
          + " (-----BEGIN PUBLIC KEY----- ...): " + e.getMessage(), e);
    }
  }
}
