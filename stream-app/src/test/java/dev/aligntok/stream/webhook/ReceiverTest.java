package dev.aligntok.stream.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReceiverTest {
  @Test
  void pathsOfOneServerShareAReceiverWithTheSchemesDefaultPort() {
    assertEquals("https://hooks.example.com:443", Receiver.of("https://Hooks.Example.com/a?x=1"));
    assertEquals("https://hooks.example.com:443", Receiver.of("https://hooks.example.com:443/b"));
    assertEquals("http://hooks.example.com:80", Receiver.of("http://hooks.example.com/"));
    assertEquals("http://127.0.0.1:8080", Receiver.of("http://127.0.0.1:8080/hook"));
    assertEquals("http://[::1]:9", Receiver.of("http://[::1]:9/"));
  }

  @Test
  void aUrlWithoutAHostIsItsOwnReceiverCutShort() {
    assertEquals("not a url at all", Receiver.of("not a url at all"));
    assertEquals("null", Receiver.of(null));
    assertTrue(Receiver.of("http://" + "x".repeat(5000) + "%zz").length() < 350, "a map key and part of messages: short");
  }
}
