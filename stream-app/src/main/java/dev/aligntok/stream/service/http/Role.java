package dev.aligntok.stream.service.http;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller may do: {@code submit} generation and tokenize requests (and cancel its own),
 * {@code read} its own requests' status and images, {@code admin} everything, including every
 * caller's requests and {@code /v1/admin/*}.
 */
public enum Role {
  SUBMIT, READ, ADMIN;

  /** The roles of a credential that names none (API keys from before roles existed, tokens without the claim). */
  static final Set<Role> DEFAULT = EnumSet.of(SUBMIT, READ);

  /** The role named {@code name} (case-insensitive), or empty for a name this service does not know. */
  static Optional<Role> named(String name) {
    for (Role role : values()) {
      if (role.name().equalsIgnoreCase(name.strip())) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }

  String lowerCase() {
    return name().toLowerCase(Locale.ROOT);
  }
}
