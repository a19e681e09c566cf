package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Authentication of {@code /v1/**} ({@code aligntok.auth.*}): API keys in {@code X-API-Key}, JSON Web
 * Tokens in {@code Authorization: Bearer}, or both. On unless {@code aligntok.auth.enabled=false};
 * when on, at least one way in must be configured, so a forgotten setting fails the start instead of
 * locking everyone out or letting everyone in. Keys listed here have the roles submit and read; keys
 * with other roles are configured by name ({@link ApiKeySettings}).
 *
 * @param apiKeys       accepted values of the {@code X-API-Key} header (comma-separated in an environment variable)
 * @param jwtHmacSecret shared secret of HS256-signed tokens (at least {@value #MIN_HMAC_SECRET_BYTES} bytes)
 * @param jwtPublicKey  PEM public key ("BEGIN PUBLIC KEY") of RS256-signed tokens; not together with a secret
 * @param jwtIssuer     when set, tokens must carry this {@code iss}
 * @param jwtAudience   when set, tokens' {@code aud} must name it
 * @param jwtRequireAudience whether tokens must name {@code jwtAudience}; default: true whenever an
 *     issuer is configured, because an identity provider issues tokens for many services and only the
 *     audience says a token was meant for this one (then an audience must be configured too)
 * @param jwtRolesClaim the claim listing a token's roles (submit, read, admin) as a space-separated
 *     string or an array; default {@value #DEFAULT_ROLES_CLAIM}. A token without it gets submit and read.
 */
@ConfigurationProperties("aligntok.auth")
public record AuthSettings(boolean enabled, @Nullable List<String> apiKeys, @Nullable String jwtHmacSecret,
                           @Nullable String jwtPublicKey, @Nullable String jwtIssuer, @Nullable String jwtAudience,
                           @Nullable Boolean jwtRequireAudience, @Nullable String jwtRolesClaim) {
  public static final String DEFAULT_ROLES_CLAIM = "roles";
  /** RFC 7518 asks HS256 keys to be at least as long as the hash. */
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  public AuthSettings {
    apiKeys = apiKeys == null ? List.of() : apiKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    jwtHmacSecret = blankToNull(jwtHmacSecret);
    jwtPublicKey = blankToNull(jwtPublicKey);
    jwtIssuer = blankToNull(jwtIssuer);
    jwtAudience = blankToNull(jwtAudience);
    jwtRequireAudience = jwtRequireAudience == null ? jwtIssuer != null : jwtRequireAudience;
    jwtRolesClaim = jwtRolesClaim == null || jwtRolesClaim.isBlank() ? DEFAULT_ROLES_CLAIM : jwtRolesClaim.strip();
    if (jwtHmacSecret != null && jwtPublicKey != null) {
      throw new IllegalArgumentException("aligntok.auth.jwt-hmac-secret and aligntok.auth.jwt-public-key are both set:"
          + " tokens are either HS256 (secret) or RS256 (public key), configure one");
    }
    if (jwtHmacSecret != null && jwtHmacSecret.getBytes(StandardCharsets.UTF_8).length < MIN_HMAC_SECRET_BYTES) {
      throw new IllegalArgumentException("aligntok.auth.jwt-hmac-secret has " + jwtHmacSecret.length()
          + " characters; HS256 needs at least " + MIN_HMAC_SECRET_BYTES + " bytes");
    }
    if (enabled && jwtEnabled(jwtHmacSecret, jwtPublicKey) && jwtRequireAudience && jwtAudience == null) {
      throw new IllegalArgumentException("aligntok.auth.jwt-audience is not set, but tokens must name an audience"
          + (jwtIssuer == null ? "" : " (aligntok.auth.jwt-issuer is set: an identity provider's tokens for other"
          + " services would pass)") + ": set ALIGNTOK_AUTH_JWT_AUDIENCE, or aligntok.auth.jwt-require-audience=false"
          + " if the issuer issues tokens for this service only");
    }
  }

  /**
   * Fails the start when authentication is on but nothing could pass it.
   *
   * @param namedKeys how many keys are configured under {@code aligntok.auth.keys.<name>}
   */
  public void requireAWayIn(int namedKeys) {
    if (enabled && apiKeys.isEmpty() && namedKeys == 0 && !jwtEnabled()) {
      throw new IllegalArgumentException("aligntok.auth.enabled is true but neither aligntok.auth.api-keys nor a JWT key"
          + " is configured (nor a named key under aligntok.auth.keys): set keys (ALIGNTOK_AUTH_API_KEYS=key1,key2),"
          + " a token key (ALIGNTOK_AUTH_JWT_HMAC_SECRET or ALIGNTOK_AUTH_JWT_PUBLIC_KEY), or set"
          + " aligntok.auth.enabled=false explicitly");
    }
  }

  /** Whether bearer tokens are accepted. */
  public boolean jwtEnabled() {
    return jwtEnabled(jwtHmacSecret, jwtPublicKey);
  }

  private static boolean jwtEnabled(String hmacSecret, String publicKey) {
    return hmacSecret != null || publicKey != null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
