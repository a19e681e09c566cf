package dev.aligntok.stream.service.http;

import io.micronaut.core.annotation.Nullable;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who sent an HTTP request, as {@link AuthFilter} established it.
 *
 * @param owner who requests submitted by this caller belong to ({@code key:<name>} or {@code jwt:<sub>[@<iss>]});
 *     null when authentication is off
 * @param roles what the caller may do; admin implies the others
 */
public record Caller(@Nullable String owner, Set<Role> roles) {
  /** With authentication off, every caller may do everything and requests have no owner. */
  static final Caller UNAUTHENTICATED = new Caller(null, EnumSet.allOf(Role.class));
  /** A request the filter did not see although authentication is on: nothing is allowed. */
  static final Caller NOBODY = new Caller(null, Set.of());

  public Caller {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  boolean has(Role role) {
    return roles.contains(role) || roles.contains(Role.ADMIN);
  }

  /**
   * Whether this caller may see or cancel a request owned by {@code requestOwner}: its owner, or an
   * admin. An ownerless request (written to Kafka directly, or before owners existed) is an admin's.
   */
  boolean owns(@Nullable String requestOwner) {
    return roles.contains(Role.ADMIN) || (owner != null && owner.equals(requestOwner));
  }
}
