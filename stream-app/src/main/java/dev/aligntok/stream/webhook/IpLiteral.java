package dev.aligntok.stream.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals as this package accepts them, without any name lookup: IPv4 as four
 * decimal parts {@code a.b.c.d} (no leading zeros), IPv6 in brackets or not, without a zone.
 * Other numeric forms some resolvers take ({@code 2130706433}, {@code 0x7f000001},
 * {@code 0177.0.0.1}, {@code 127.1}) are not addresses here: {@link #looksNumeric} spots them so
 * they are refused rather than looked up, since parsers disagree on what they mean.
 */
final class IpLiteral {
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpLiteral() {}

  /** The address {@code text} spells, or empty when it is not a literal of the accepted forms. */
  static Optional<InetAddress> parse(String text) {
    String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    boolean v4 = DOTTED_QUAD.matcher(s).matches();
    boolean v6 = s.indexOf(':') >= 0 && IPV6.matcher(s).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    try {
      // Only literals reach here, so getByName parses and never asks DNS.
      return Optional.of(InetAddress.getByName(s));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * True for a host whose last label starts with a digit: no top-level domain does, so it is some
   * numeric address form (accepted or not), never a name to look up.
   */
  static boolean looksNumeric(String host) {
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    int dot = h.lastIndexOf('.');
    String last = h.substring(dot + 1);
    return h.startsWith("[") || h.indexOf(':') >= 0 || (!last.isEmpty() && Character.isDigit(last.charAt(0)));
  }
}
