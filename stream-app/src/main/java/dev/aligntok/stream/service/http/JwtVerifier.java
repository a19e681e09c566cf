package dev.aligntok.stream.service.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.stream.output.BoundedText;
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
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks JSON Web Tokens (compact JWS): the signature with the one configured key — HS256 with a
 * shared secret or RS256 with a public key of at least {@value #MIN_RSA_BITS} bits; the token's
 * {@code alg} must name that algorithm, so neither "none" nor a public key used as an HMAC secret
 * gets through; a {@code crit} header is refused (this verifier understands no extension) — then
 * {@code exp} (required), {@code nbf} and {@code iat} (numbers when present), the issuer when
 * configured, the audience when required, with {@value #SKEW_SECONDS} s of clock skew; and
 * {@code sub}, which names the caller. The reasons it gives are for the log, not for the caller.
 */
@Context
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
final class JwtVerifier {
  static final long SKEW_SECONDS = 60;
  static final int MIN_RSA_BITS = 2048;
  /** Subjects longer than this are refused: they become request owners, stored on every status. */
  static final int MAX_SUBJECT_CHARS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

  private final AuthSettings settings;
  private final Clock clock;
  private final String algorithm;
  private final byte[] hmacSecret;
  private final PublicKey publicKey;

  /** A token's outcome: the caller it names, or why it is refused (for the log). */
  record Verdict(Caller caller, String rejection) {
    static Verdict rejected(String why) {
      return new Verdict(null, why);
    }

    boolean accepted() {
      return caller != null;
    }
  }

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
    return Optional.ofNullable(verify(token).rejection());
  }

  Verdict verify(String token) {
    if (algorithm == null) {
      return Verdict.rejected("bearer tokens are not accepted here (no JWT key configured); use X-API-Key");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      return Verdict.rejected("not a JWT (expected header.payload.signature)");
    }
    JsonNode header;
    JsonNode claims;
    byte[] signature;
    try {
      header = JSON.readTree(BASE64URL.decode(parts[0]));
      claims = JSON.readTree(BASE64URL.decode(parts[1]));
      signature = BASE64URL.decode(parts[2]);
    } catch (IllegalArgumentException | IOException e) {
      return Verdict.rejected("malformed JWT: " + e.getClass().getSimpleName());
    }
    if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
      return Verdict.rejected("malformed JWT: header and payload must be JSON objects");
    }
    String alg = header.path("alg").asText("");
    if (!algorithm.equals(alg)) {
      return Verdict.rejected("token algorithm '" + bounded(alg) + "' is not the configured " + algorithm);
    }
    if (header.has("crit")) {
      return Verdict.rejected("token header has crit: no critical extension is understood here");
    }
    if (!signatureValid((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
      return Verdict.rejected("invalid token signature");
    }
    Optional<String> rejection = claimsRejection(claims);
    return rejection.map(Verdict::rejected).orElseGet(() -> new Verdict(caller(claims), null));
  }

  private Optional<String> claimsRejection(JsonNode claims) {
    long now = clock.instant().getEpochSecond();
    if (!claims.path("exp").isNumber()) {
      return Optional.of(claims.has("exp") ? "token exp is not a number" : "token has no exp claim");
    }
    for (String time : new String[] {"nbf", "iat"}) {
      if (claims.has(time) && !claims.get(time).isNumber()) {
        return Optional.of("token " + time + " is not a number");
      }
    }
    if (now - SKEW_SECONDS >= claims.get("exp").asLong()) {
      return Optional.of("token expired " + Duration.ofSeconds(now - claims.get("exp").asLong()) + " ago");
    }
    if (claims.has("nbf") && now + SKEW_SECONDS < claims.get("nbf").asLong()) {
      return Optional.of("token not valid yet (nbf)");
    }
    if (settings.jwtIssuer() != null && !settings.jwtIssuer().equals(claims.path("iss").asText(null))) {
      return Optional.of("token issuer '" + bounded(claims.path("iss").asText("")) + "' is not " + settings.jwtIssuer());
    }
    // Required audience: AuthSettings refuses to start without one configured.
    if (settings.jwtAudience() != null && !audienceNames(claims.path("aud"), settings.jwtAudience())) {
      return Optional.of("token audience does not include " + settings.jwtAudience());
    }
    JsonNode sub = claims.path("sub");
    if (!sub.isTextual() || sub.asText().isBlank()) {
      return Optional.of("token has no sub claim (the caller its requests belong to)");
    }
    if (sub.asText().length() > MAX_SUBJECT_CHARS) {
      return Optional.of("token sub has " + sub.asText().length() + " characters, at most " + MAX_SUBJECT_CHARS);
    }
    return Optional.empty();
  }

  /** The caller a valid token names: {@code jwt:<sub>}, plus {@code @<iss>} when it has an issuer. */
  private Caller caller(JsonNode claims) {
    String issuer = claims.path("iss").isTextual() ? claims.get("iss").asText() : null;
    String owner = "jwt:" + claims.get("sub").asText() + (issuer == null ? "" : "@" + bounded(issuer));
    return new Caller(owner, roles(claims.get(settings.jwtRolesClaim())));
  }

  /** Roles from a space-separated string or an array; names this service does not know are ignored. */
  private static Set<Role> roles(JsonNode claim) {
    if (claim == null || claim.isNull()) {
      return Role.DEFAULT;
    }
    List<String> names = new ArrayList<>();
    if (claim.isTextual()) {
      names.addAll(List.of(claim.asText().strip().split("\\s+")));
    } else {
      claim.forEach(entry -> names.add(entry.asText("")));
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    names.forEach(name -> Role.named(name).ifPresent(roles::add));
    return roles;
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

  /** Claims come from the caller: at most 100 characters of one reach a log line. */
  private static String bounded(String text) {
    return BoundedText.of(text, 100);
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
    PublicKey key;
    try {
      key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new IllegalArgumentException("aligntok.auth.jwt-public-key is not a PEM RSA public key"
          + " (-----BEGIN PUBLIC KEY----- ...): " + e.getMessage(), e);
    }
    int bits = ((RSAPublicKey) key).getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new IllegalArgumentException("aligntok.auth.jwt-public-key is a " + bits + "-bit RSA key; at least "
          + MIN_RSA_BITS + " bits are required");
    }
    return key;
  }
}
