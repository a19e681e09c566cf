package dev.aligntok.stream.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The bounded HTTP call against a raw loopback socket playing hostile receivers: an endless body,
 * an endless response line, a non-HTTP answer; and the pinning (the Host header names the URL's
 * host while the connection goes to the checked address).
 */
class PinnedHttpPostTest {
  private final PinnedHttpPost http = new PinnedHttpPost(Duration.ofSeconds(5), Duration.ofSeconds(5));

  /** Serves one connection with {@code answer}, returning what the client sent before it. */
  private static CompletableFuture<String> serveOnce(ServerSocket server, Consumer<OutputStream> answer) {
    return CompletableFuture.supplyAsync(() -> {
      try (Socket socket = server.accept()) {
        String request = readHeadAndBody(socket.getInputStream());
        try {
          answer.accept(socket.getOutputStream());
        } catch (RuntimeException e) {
          // the client hung up, as it should after the response line
        }
        return request;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static String readHeadAndBody(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      head.write(in.read());
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = Integer.parseInt(text.replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
    return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static Destination pinned(ServerSocket server, String host) {
    return new Destination(URI.create("http://" + host + ":" + server.getLocalPort() + "/hook?x=1"), host,
        server.getLocalPort(), false, List.of(InetAddress.getLoopbackAddress()));
  }

  private static void write(OutputStream out, String text) {
    try {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void connectsToTheCheckedAddressAndReadsOnlyTheResponseLineOfAnEndlessBody() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<String> request = serveOnce(server, out -> {
        write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n");
        byte[] chunk = new byte[64 * 1024];
        while (true) { // "10 GB": until the client hangs up
          try {
            out.write(chunk);
          } catch (IOException e) {
            return;
          }
        }
      });
      // hooks.example.com is never looked up: the call goes to the address the policy checked.
      int status = http.post(pinned(server, "hooks.example.com"), Map.of("webhook-id", "msg_1"),
          "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
      assertEquals(200, status);
      String sent = request.get();
      assertTrue(sent.startsWith("POST /hook?x=1 HTTP/1.1\r\n"), sent);
      assertTrue(sent.contains("\r\nHost: hooks.example.com:" + server.getLocalPort() + "\r\n"), sent);
      assertTrue(sent.contains("\r\nwebhook-id: msg_1\r\n"), sent);
      assertTrue(sent.endsWith("\r\n\r\n{\"a\":1}"), sent);
    }
  }

  @Test
  void anEndlessResponseLineOrANonHttpAnswerIsAFailedCall() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      serveOnce(server, out -> write(out, "HTTP/1.1 200 " + "O".repeat(10_000)));
      IOException endless = assertThrows(IOException.class,
          () -> http.post(pinned(server, "127.0.0.1"), Map.of(), new byte[0]));
      assertEquals("the response line is longer than 512 bytes", endless.getMessage());

      serveOnce(server, out -> write(out, "SSH-2.0-OpenSSH_9.6\r\n"));
      IOException notHttp = assertThrows(IOException.class,
          () -> http.post(pinned(server, "127.0.0.1"), Map.of(), new byte[0]));
      assertTrue(notHttp.getMessage().startsWith("the receiver did not answer HTTP/1.x"), notHttp.getMessage());

      serveOnce(server, out -> write(out, "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://169.254.169.254/\r\n\r\n"));
      assertEquals(307, http.post(pinned(server, "127.0.0.1"), Map.of(), new byte[0]), "a redirect is reported, not followed");
    }
  }
}
