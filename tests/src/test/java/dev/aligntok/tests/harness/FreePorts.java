package dev.aligntok.tests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Loopback addresses and free loopback ports for the processes the harness starts. */
public final class FreePorts {

  /** Every server the harness starts binds here, never to a wildcard address. */
  public static final String LOOPBACK_HOST = "127.0.0.1";

  private FreePorts() {}

  /** The IPv4 loopback address, whatever {@code java.net.preferIPv6Addresses} says. */
  public static InetAddress loopback() {
    try {
      return InetAddress.getByAddress(LOOPBACK_HOST, new byte[] {127, 0, 0, 1});
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4-byte address is always valid", e);
    }
  }

  /**
   * A port that was free on the loopback address a moment ago. Another process may take it before
   * the caller binds it; callers that hand it to a child process must cope with that.
   */
  public static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(loopback(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + LOOPBACK_HOST, e);
    }
  }
}
