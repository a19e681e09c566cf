package dev.aligntok.stream.service.query;

import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds a key's partition of a store.
 *
 * @param host the owner when {@code kind} is REMOTE, else null
 */
public record KeyOwner(Kind kind, HostInfo host) {
  public enum Kind {
    /** This instance: query the local store. */
    LOCAL,
    /** Another instance: forward the request to {@link #host}. */
    REMOTE,
    /** Nobody right now (rebalancing, starting): try again shortly. */
    UNAVAILABLE
  }

  static final KeyOwner LOCAL = new KeyOwner(Kind.LOCAL, null);
  static final KeyOwner UNAVAILABLE = new KeyOwner(Kind.UNAVAILABLE, null);

  static KeyOwner remote(HostInfo host) {
    return new KeyOwner(Kind.REMOTE, host);
  }
}
