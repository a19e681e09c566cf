package dev.aligntok.stream.webhook;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to a checked {@link Destination}, connecting to one of its checked addresses
 * (never a fresh lookup: the JDK's HTTP client resolves names itself, which would reopen the DNS
 * rebinding hole). Bounded against a hostile receiver: a connect timeout, one deadline for the
 * whole response line, at most {@value #MAX_STATUS_LINE} bytes of it read, the headers and body
 * never read (the connection is closed), redirects not followed (a 3xx is a failed call). HTTPS
 * checks the certificate against the host name, with SNI.
 */
public final class PinnedHttpPost {
  static final int MAX_STATUS_LINE = 512;

  private final int connectTimeoutMs;
  private final long responseTimeoutNanos;
  private final SSLSocketFactory tls;

  /**
   * @param connectTimeout  per address tried
   * @param responseTimeout from the request sent to the whole status line received
   */
  public PinnedHttpPost(Duration connectTimeout, Duration responseTimeout, SSLSocketFactory tls) {
    this.connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
    this.responseTimeoutNanos = responseTimeout.toNanos();
    this.tls = tls;
  }

  /** With the JVM's default trust store. */
  public PinnedHttpPost(Duration connectTimeout, Duration responseTimeout) {
    this(connectTimeout, responseTimeout, (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  /**
   * Sends {@code body} as {@code application/json} with {@code headers}.
   *
   * @return the response's status code
   * @throws IOException when no address connects, the response is late or not HTTP
   */
  public int post(Destination to, Map<String, String> headers, byte[] body) throws IOException {
    try (Socket socket = connect(to)) {
      OutputStream out = socket.getOutputStream();
      out.write(head(to, headers, body.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return statusCode(socket, readStatusLine(socket));
    }
  }

  private Socket connect(Destination to) throws IOException {
    IOException last = null;
    for (InetAddress address : to.addresses()) {
      Socket plain = new Socket();
      try {
        plain.connect(new InetSocketAddress(address, to.port()), connectTimeoutMs);
        plain.setSoTimeout(connectTimeoutMs);
        return to.https() ? tls(plain, to) : plain;
      } catch (IOException e) {
        plain.close();
        last = e;
      }
    }
    throw new IOException("could not connect to " + to.host() + ":" + to.port() + " at any of " + to.addresses().size()
        + " checked address(es)" + (last == null ? "" : ": " + last.getMessage()), last);
  }

  private Socket tls(Socket plain, Destination to) throws IOException {
    SSLSocket socket = (SSLSocket) tls.createSocket(plain, to.host(), to.port(), true);
    SSLParameters parameters = socket.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (IpLiteral.parse(to.host()).isEmpty()) {
      parameters.setServerNames(List.of(new SNIHostName(to.host())));
    }
    socket.setSSLParameters(parameters);
    socket.startHandshake();
    return socket;
  }

  private static String head(Destination to, Map<String, String> headers, int length) {
    String path = to.uri().getRawPath() == null || to.uri().getRawPath().isEmpty() ? "/" : to.uri().getRawPath();
    String target = to.uri().getRawQuery() == null ? path : path + "?" + to.uri().getRawQuery();
    String host = to.host().indexOf(':') >= 0 ? "[" + to.host() + "]" : to.host();
    boolean defaultPort = to.port() == (to.https() ? 443 : 80);
    StringBuilder head = new StringBuilder(256)
        .append("POST ").append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(defaultPort ? "" : ":" + to.port()).append("\r\n")
        .append("Content-Type: application/json\r\n")
        .append("Content-Length: ").append(length).append("\r\n")
        .append("User-Agent: aligntok-webhooks\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    return head.append("\r\n").toString();
  }

  /** Reads up to the first line feed, within the one response deadline and the size cap. */
  private String readStatusLine(Socket socket) throws IOException {
    long deadline = System.nanoTime() + responseTimeoutNanos;
    InputStream in = new BufferedInputStream(socket.getInputStream(), MAX_STATUS_LINE);
    StringBuilder line = new StringBuilder();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("no complete response line within " + responseTimeoutNanos / 1_000_000 + " ms");
      }
      socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
      int b;
      try {
        b = in.read();
      } catch (SocketTimeoutException e) {
        throw new SocketTimeoutException("no complete response line within " + responseTimeoutNanos / 1_000_000 + " ms");
      }
      if (b < 0) {
        throw new IOException("the receiver closed the connection before a response line");
      }
      if (b == '\n') {
        return line.toString().strip();
      }
      if (line.length() >= MAX_STATUS_LINE) {
        throw new IOException("the response line is longer than " + MAX_STATUS_LINE + " bytes");
      }
      line.append((char) b);
    }
  }

  private static int statusCode(Socket socket, String line) throws IOException {
    String[] parts = line.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
      throw new IOException("the receiver did not answer HTTP/1.x (response line of " + line.length() + " characters)");
    }
    return Integer.parseInt(parts[1]);
  }
}
