package dev.aligntok.stream.webhook;

import java.net.InetAddress;

/** An IPv4 or IPv6 address range written as {@code address/prefix} (a bare address is one address). */
record Cidr(byte[] network, int prefix, String text) {

  /** Parses an IP literal with an optional {@code /prefix}; no name lookup (literals only). */
  static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = IpLiteral.parse(address)
        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an IP address or CIDR range"))
        .getAddress();
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' has no numeric prefix length after '/'");
      }
      if (prefix < 0 || prefix > bytes.length * 8) {
        throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bytes.length * 8);
      }
    }
    return new Cidr(bytes, prefix, trimmed);
  }

  boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false; // IPv4-mapped IPv6 addresses arrive as IPv4 already (InetAddress converts them)
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (candidate[full] & mask) == (network[full] & mask);
  }

  /** For the messages: the range as configured. */
  @Override
  public String toString() {
    return text;
  }
}
