package dev.aligntok.stream.webhook;

import java.net.InetAddress;
import java.util.List;

/**
 * Addresses a webhook must not reach unless an operator lists them: they lead into the
 * deployment's own networks or nowhere public (RFC 6890 special-purpose blocks, and the IPv6
 * blocks that embed an IPv4 address, which could hide one of those).
 */
final class SpecialRanges {
  private record Named(Cidr range, String kind) {}

  private static final List<Named> RANGES = List.of(
      named("0.0.0.0/8", "unspecified"),
      named("10.0.0.0/8", "private"),
      named("100.64.0.0/10", "shared (carrier NAT)"),
      named("127.0.0.0/8", "loopback"),
      named("169.254.0.0/16", "link-local"),
      named("172.16.0.0/12", "private"),
      named("192.0.0.0/24", "special-purpose"),
      named("192.0.2.0/24", "documentation"),
      named("192.168.0.0/16", "private"),
      named("198.18.0.0/15", "benchmarking"),
      named("198.51.100.0/24", "documentation"),
      named("203.0.113.0/24", "documentation"),
      named("224.0.0.0/4", "multicast"),
      named("240.0.0.0/4", "reserved"),
      named("::/128", "unspecified"),
      named("::1/128", "loopback"),
      named("::/96", "IPv4-compatible"),
      named("64:ff9b::/96", "NAT64"),
      named("64:ff9b:1::/48", "NAT64"),
      named("2001::/32", "Teredo"),
      named("2001:db8::/32", "documentation"),
      named("2002::/16", "6to4"),
      named("fc00::/7", "private (unique local)"),
      named("fe80::/10", "link-local"),
      named("fec0::/10", "site-local"),
      named("ff00::/8", "multicast"));

  private SpecialRanges() {}

  private static Named named(String cidr, String kind) {
    return new Named(Cidr.parse(cidr), kind);
  }

  static boolean isSpecial(InetAddress address) {
    return kind(address) != null;
  }

  /** What kind of special address it is, or null for a public one. */
  static String kind(InetAddress address) {
    for (Named named : RANGES) {
      if (named.range.contains(address)) {
        return named.kind;
      }
    }
    return null;
  }
}
