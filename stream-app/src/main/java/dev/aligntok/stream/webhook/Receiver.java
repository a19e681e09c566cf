package dev.aligntok.stream.webhook;

import dev.aligntok.stream.output.BoundedText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Which receiver a webhook URL names: its scheme, host and port ({@code https://hooks.example.com:443}),
 * the unit that is up or down together. Paths of one server share it.
 */
final class Receiver {
  private static final int MAX_CHARS = 300;

  private Receiver() {}

  /** The receiver of {@code url}; an unparseable URL is its own receiver (the policy refuses it anyway). */
  static String of(String url) {
    if (url == null) {
      return "null";
    }
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() != null) {
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
      }
    } catch (URISyntaxException e) {
      // fall through
    }
    return BoundedText.of(url, MAX_CHARS);
  }
}
