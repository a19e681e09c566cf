package dev.aligntok.stream.service.http;

import dev.aligntok.inference.io.Sha256;
import dev.aligntok.stream.service.config.ApiKeySettings;
import dev.aligntok.stream.service.config.AuthSettings;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured API keys and who each one is. Created with the application context (not at the
 * first request), so that authentication switched on without keys, or a key with an unknown role,
 * stops the start with a message naming the setting.
 *
 * <p>Keys listed in {@code aligntok.auth.api-keys} have the roles submit and read, and are named
 * {@code key-} plus the first 8 hex digits of their SHA-256 (stable, and not the key itself).
 */
@Context
@Requires(property = "aligntok.auth.enabled", notEquals = "false")
final class ApiKeys {
  private record Entry(byte[] digest, Caller caller) {}

  private final List<Entry> entries;

  @Inject
  ApiKeys(AuthSettings settings, List<ApiKeySettings> named) {
    settings.requireAWayIn(named.size());
    List<Entry> entries = new ArrayList<>();
    for (String key : settings.apiKeys()) {
      byte[] digest = Sha256.digest(key);
      String name = "key-" + Sha256.hex(digest).substring(0, 8);
      entries.add(new Entry(digest, new Caller("key:" + name, Role.DEFAULT)));
    }
    for (ApiKeySettings key : named) {
      entries.add(new Entry(Sha256.digest(key.key()), new Caller("key:" + key.name(), roles(key))));
    }
    this.entries = List.copyOf(entries);
  }

  /** Who {@code key} belongs to, or empty when it is not a configured key. */
  Optional<Caller> caller(String key) {
    byte[] candidate = Sha256.digest(key);
    Caller found = null;
    for (Entry entry : entries) {
      // Every entry is compared, so the time taken does not say which one matched.
      if (MessageDigest.isEqual(entry.digest(), candidate) && found == null) {
        found = entry.caller();
      }
    }
    return Optional.ofNullable(found);
  }

  private static Set<Role> roles(ApiKeySettings key) {
    if (key.roles().isEmpty()) {
      return Role.DEFAULT;
    }
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String name : key.roles()) {
      roles.add(Role.named(name).orElseThrow(() -> new IllegalArgumentException("aligntok.auth.keys." + key.name()
          + ".roles names an unknown role '" + name + "'; the roles are submit, read and admin")));
    }
    return roles;
  }
}
