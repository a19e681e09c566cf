package dev.aligntok.stream.webhook;

import dev.aligntok.stream.output.BoundedText;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where webhook calls may go (no server-side request forgery). The allow-list holds host names
 * ({@code hooks.example.com}), subdomain wildcards ({@code *.example.com}), {@code *} (any host
 * name) and IP ranges ({@code 203.0.113.0/24}, {@code ::1}). A URL must be http or https, within
 * the length limit, without user info, and name an allowed host; an IP literal must lie in a
 * listed range. Private, loopback, link-local, multicast, unspecified and other special addresses
 * ({@link SpecialRanges}) are refused unless a listed range contains them — also when a name
 * resolves to them, checked for every resolved address at each delivery, and the call then goes
 * to a checked address (so a name cannot be re-pointed between check and connect).
 */
public final class DestinationPolicy {
  /** Looks a host name up; the system resolver in service, a fixed table in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private static final int ECHO_CHARS = 80;

  private final List<String> exactHosts = new ArrayList<>();
  private final List<String> suffixes = new ArrayList<>();
  private final List<Cidr> ranges = new ArrayList<>();
  private final boolean anyName;
  private final int maxUrlLength;
  private final Resolver resolver;

  /**
   * @param configKey named in the messages about a bad entry
   * @throws IllegalArgumentException naming the first entry that is neither a host, a wildcard nor a range
   */
  public DestinationPolicy(String configKey, List<String> allowed, int maxUrlLength, Resolver resolver) {
    boolean any = false;
    for (String raw : allowed) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        any = true;
      } else if (entry.startsWith("*.") && isHostName(entry.substring(2))) {
        suffixes.add(entry.substring(1));
      } else if (IpLiteral.looksNumeric(entry)) {
        try {
          ranges.add(Cidr.parse(entry));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(configKey + ": " + e.getMessage());
        }
      } else if (isHostName(entry)) {
        exactHosts.add(stripDot(entry));
      } else {
        throw new IllegalArgumentException(configKey + ": '" + echo(raw) + "' is not a host name, *.domain, * or an IP range");
      }
    }
    this.anyName = any;
    this.maxUrlLength = maxUrlLength;
    this.resolver = resolver;
  }

  /** With the system resolver. */
  public DestinationPolicy(String configKey, List<String> allowed, int maxUrlLength) {
    this(configKey, allowed, maxUrlLength, InetAddress::getAllByName);
  }

  /** What is wrong with {@code url} as a webhook destination without looking any name up, or empty when nothing. */
  public Optional<String> problemWith(String url) {
    try {
      target(url);
      return Optional.empty();
    } catch (RefusedDestinationException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * The destination of a delivery: the URL checked again (the allow-list may have changed, and
   * requests can reach Kafka without the API), its host resolved, every address checked.
   *
   * @throws RefusedDestinationException naming what is not allowed (not worth retrying)
   * @throws UnknownHostException        when the name does not resolve now (worth retrying)
   */
  public Destination resolve(String url) throws RefusedDestinationException, UnknownHostException {
    Target target = target(url);
    InetAddress[] addresses = target.literal != null ? new InetAddress[] {target.literal} : resolver.resolve(target.host);
    List<InetAddress> checked = new ArrayList<>();
    for (InetAddress address : addresses) {
      if (SpecialRanges.isSpecial(address) && !inListedRange(address)) {
        throw new RefusedDestinationException("host " + target.host + " resolves to " + address.getHostAddress()
            + ", a " + SpecialRanges.kind(address) + " address not on the allow-list");
      }
      checked.add(address);
    }
    if (checked.isEmpty()) {
      throw new UnknownHostException(target.host + " resolved to no address");
    }
    return new Destination(target.uri, target.host, target.port, target.https, List.copyOf(checked));
  }

  private boolean inListedRange(InetAddress address) {
    return ranges.stream().anyMatch(r -> r.contains(address));
  }

  private record Target(URI uri, String host, int port, boolean https, InetAddress literal) {}

  private Target target(String url) throws RefusedDestinationException {
    if (url == null || url.isBlank()) {
      throw new RefusedDestinationException("is empty");
    }
    if (url.length() > maxUrlLength) {
      throw new RefusedDestinationException("is " + url.length() + " characters long; at most " + maxUrlLength);
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new RefusedDestinationException("is not a URL: " + echo(e.getReason()));
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new RefusedDestinationException("must be an http or https URL");
    }
    if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
      throw new RefusedDestinationException("must not carry user info (user@host)");
    }
    if (uri.getHost() == null) {
      throw new RefusedDestinationException("has no host name this service accepts (letters, digits, '-' and '.')");
    }
    if (uri.getRawFragment() != null) {
      throw new RefusedDestinationException("must not have a fragment (#...)");
    }
    boolean https = scheme.equals("https");
    int port = uri.getPort() == -1 ? (https ? 443 : 80) : uri.getPort();
    String host = stripDot(uri.getHost().toLowerCase(Locale.ROOT));
    if (IpLiteral.looksNumeric(host)) {
      InetAddress literal = IpLiteral.parse(host).orElseThrow(() -> new RefusedDestinationException(
          "has host " + echo(host) + ", a numeric form this service does not accept (write a.b.c.d or [IPv6])"));
      if (!inListedRange(literal)) {
        throw new RefusedDestinationException("has address " + literal.getHostAddress() + ", which is not on the allow-list");
      }
      return new Target(uri, literal.getHostAddress(), port, https, literal);
    }
    if (!anyName && !exactHosts.contains(host) && suffixes.stream().noneMatch(host::endsWith)) {
      throw new RefusedDestinationException("has host " + echo(host) + ", which is not on the allow-list");
    }
    return new Target(uri, host, port, https, null);
  }

  /** Caller text in a message, cut short: a URL may be long. */
  private static String echo(String text) {
    return BoundedText.of(text, ECHO_CHARS);
  }

  private static boolean isHostName(String text) {
    return text.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.?");
  }

  private static String stripDot(String host) {
    return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
  }
}
