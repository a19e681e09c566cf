package dev.aligntok.stream.service.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A named API key with its roles ({@code aligntok.auth.keys.<name>.key} and {@code .roles}). The
 * name identifies the caller: requests submitted with the key belong to {@code key:<name>}, so
 * rotating a key under the same name keeps its requests visible.
 *
 * @param name  lowercase letters, digits and '-' (it appears in logs and in request owners)
 * @param key   the {@code X-API-Key} value, e.g. {@code ${OPS_API_KEY}} from a Secret
 * @param roles any of submit, read, admin (comma-separated in a variable); none listed: submit and read
 */
@EachProperty("aligntok.auth.keys")
public record ApiKeySettings(@Parameter String name, @Nullable String key, @Nullable List<String> roles) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  public ApiKeySettings {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("aligntok.auth.keys." + name + ": a key name has 1 to 64 lowercase letters,"
          + " digits or '-'");
    }
    key = Settings.blankToNull(key);
    if (key == null) {
      throw new IllegalArgumentException("aligntok.auth.keys." + name + ".key must be set");
    }
    roles = roles == null ? List.of() : roles.stream().map(String::strip).filter(r -> !r.isEmpty()).toList();
  }
}
