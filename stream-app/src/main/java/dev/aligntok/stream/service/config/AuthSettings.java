package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * API-key authentication of {@code /v1/**} ({@code aligntok.auth.*}). On unless
 * {@code aligntok.auth.enabled=false}; when on, at least one key must be configured, so a
 * forgotten key list fails the start instead of locking everyone out or letting everyone in.
 *
 * @param apiKeys accepted values of the {@code X-API-Key} header (comma-separated in an environment variable)
 */
@ConfigurationProperties("aligntok.auth")
public record AuthSettings(boolean enabled, @Nullable List<String> apiKeys) {
  public AuthSettings {
    apiKeys = apiKeys == null ? List.of() : apiKeys.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    if (enabled && apiKeys.isEmpty()) {
      throw new IllegalArgumentException("aligntok.auth.enabled is true but aligntok.auth.api-keys is empty: configure"
          + " keys (environment ALIGNTOK_AUTH_API_KEYS=key1,key2) or set aligntok.auth.enabled=false explicitly");
    }
  }
}
