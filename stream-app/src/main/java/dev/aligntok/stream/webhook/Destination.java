package dev.aligntok.stream.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A checked webhook destination: the URL, its host and port, and the addresses it resolved to,
 * every one allowed; the call connects to one of these, never to a fresh lookup.
 */
public record Destination(URI uri, String host, int port, boolean https, List<InetAddress> addresses) {}
