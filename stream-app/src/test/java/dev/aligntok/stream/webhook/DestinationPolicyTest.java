package dev.aligntok.stream.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {
  /** A fixed name table, so rebinding (an allowed name that points inside) is tested without DNS. */
  private static final Map<String, String> NAMES = Map.of(
      "hooks.example.com", "93.184.216.34",
      "api.partner.io", "2606:2800:220:1:248:1893:25c8:1946",
      "rebound.example.com", "10.0.0.7",
      "mapped.example.com", "::ffff:169.254.169.254",
      "localhost", "127.0.0.1");

  private static DestinationPolicy policy(String... allowed) {
    return new DestinationPolicy("aligntok.webhooks.allowed-hosts", List.of(allowed), 200, host -> {
      String address = NAMES.get(host);
      if (address == null) {
        throw new UnknownHostException(host);
      }
      return new InetAddress[] {IpLiteral.parse(address).orElseThrow()};
    });
  }

  private static String problem(DestinationPolicy policy, String url) {
    return policy.problemWith(url).orElse("allowed");
  }

  @Test
  void formChecks() {
    DestinationPolicy p = policy("*");
    assertEquals("allowed", problem(p, "https://hooks.example.com/a?b=c"));
    assertEquals("must be an http or https URL", problem(p, "ftp://hooks.example.com/"));
    assertEquals("must be an http or https URL", problem(p, "file:///etc/passwd"));
    assertEquals("must be an http or https URL", problem(p, "//hooks.example.com/"));
    assertEquals("must not carry user info (user@host)", problem(p, "http://user@hooks.example.com/"));
    assertTrue(problem(p, "http://a@b@hooks.example.com/").contains("user info"));
    assertTrue(problem(p, "https://hooks.example.com/" + "x".repeat(200)).startsWith("is 226 characters long; at most 200"));
    assertTrue(problem(p, "http://bad host/").startsWith("is not a URL"));
    assertTrue(problem(p, "http://a_b.example.com/").startsWith("has no host name"));
    assertEquals("is empty", problem(p, ""));
  }

  @Test
  void onlyListedHostsAndRanges() {
    DestinationPolicy p = policy("hooks.example.com", "*.partner.io", "203.0.113.0/24");
    assertEquals("allowed", problem(p, "https://HOOKS.example.com./x"));
    assertEquals("allowed", problem(p, "https://api.partner.io/x"));
    assertTrue(problem(p, "https://partner.io/x").contains("not on the allow-list"), "a wildcard is for subdomains");
    assertTrue(problem(p, "https://evil.com/x").contains("evil.com, which is not on the allow-list"));
    assertTrue(problem(p, "https://hooks.example.com.evil.com/").contains("not on the allow-list"));
    assertEquals("allowed", problem(p, "http://203.0.113.9:8080/"));
    assertTrue(problem(p, "http://198.51.100.1/").contains("198.51.100.1, which is not on the allow-list"));
  }

  @Test
  void specialAddressesAreRefusedUnlessARangeListsThem() {
    DestinationPolicy anyName = policy("*");
    for (String url : List.of("http://127.0.0.1/", "http://10.1.2.3/", "http://172.16.0.1/", "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/", "http://224.0.0.1/", "http://100.64.0.1/",
        "http://[::1]/", "http://[::]/", "http://[fe80::1]/", "http://[fd00::1]/", "http://[ff02::1]/",
        "http://[::ffff:127.0.0.1]/", "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::7f00:1]/")) {
      assertTrue(problem(anyName, url).contains("not on the allow-list"), url + ": " + problem(anyName, url));
    }
    DestinationPolicy loopback = policy("127.0.0.0/8", "::1");
    assertEquals("allowed", problem(loopback, "http://127.0.0.1:9000/hook"));
    assertEquals("allowed", problem(loopback, "http://[::1]:9000/hook"));
    assertEquals("allowed", problem(loopback, "http://[::ffff:127.0.0.1]:9000/hook"), "IPv4-mapped is its IPv4 address");
    assertTrue(problem(loopback, "http://10.0.0.1/").contains("not on the allow-list"));
  }

  @Test
  void numericFormsOtherThanDottedQuadsAreRefused() {
    DestinationPolicy p = policy("*", "127.0.0.0/8");
    // The JDK's URI parser takes these hosts and its resolver maps 2130706433 to 127.0.0.1 and
    // 0177.0.0.1 to 177.0.0.1 (curl reads octal: 127.0.0.1); none is accepted, whatever it means.
    for (String url : List.of("http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/", "http://017700000001/",
        "http://127.000.000.001/")) {
      assertTrue(problem(p, url).contains("numeric form this service does not accept"), url + ": " + problem(p, url));
    }
    assertTrue(problem(p, "http://127.1/").startsWith("has no host name"), "the URI parser refuses 127.1 itself");
    assertTrue(problem(p, "http://[fe80::1%25eth0]/").contains("numeric form"), "zones are refused");
  }

  @Test
  void deliveryChecksEveryResolvedAddressAgainstRebinding() throws Exception {
    DestinationPolicy p = policy("*");
    Destination ok = p.resolve("https://hooks.example.com/x");
    assertEquals(List.of(InetAddress.getByName("93.184.216.34")), ok.addresses());
    assertEquals(443, ok.port());
    assertEquals(1, p.resolve("https://api.partner.io/").addresses().size());
    RefusedDestinationException rebound = assertThrows(RefusedDestinationException.class,
        () -> p.resolve("https://rebound.example.com/x"));
    assertEquals("host rebound.example.com resolves to 10.0.0.7, a private address not on the allow-list",
        rebound.getMessage());
    assertTrue(assertThrows(RefusedDestinationException.class, () -> p.resolve("http://mapped.example.com/"))
        .getMessage().contains("169.254.169.254, a link-local address"));
    assertThrows(UnknownHostException.class, () -> p.resolve("http://unknown.example.com/"));
    DestinationPolicy quickstart = policy("localhost", "127.0.0.0/8");
    assertEquals(List.of(InetAddress.getByName("127.0.0.1")), quickstart.resolve("http://localhost:7000/").addresses());
    RefusedDestinationException nameOnly = assertThrows(RefusedDestinationException.class,
        () -> policy("localhost").resolve("http://localhost:7000/"));
    assertTrue(nameOnly.getMessage().contains("loopback address not on the allow-list"), nameOnly.getMessage());
  }

  @Test
  void badEntriesNameTheKey() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy("10.0.0.0/33"));
    assertEquals("aligntok.webhooks.allowed-hosts: '10.0.0.0/33' has a prefix length outside 0..32", e.getMessage());
    assertEquals("aligntok.webhooks.allowed-hosts: 'http://x.com' is not an IP address or CIDR range",
        assertThrows(IllegalArgumentException.class, () -> policy("http://x.com")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> policy("x_y.com")).getMessage()
        .contains("is not a host name, *.domain, * or an IP range"));
  }

  @Test
  void anEmptyListAllowsNothing() {
    DestinationPolicy none = policy();
    assertTrue(problem(none, "https://hooks.example.com/").contains("not on the allow-list"));
    assertTrue(problem(none, "http://127.0.0.1/").contains("not on the allow-list"));
  }

  @Test
  void eventFilter() {
    assertEquals(Optional.empty(), WebhookEvents.problemWith(null));
    assertEquals(Optional.empty(), WebhookEvents.problemWith(List.of("running", "SUCCEEDED")));
    assertEquals(List.of("RUNNING", "SUCCEEDED"), WebhookEvents.normalised(List.of("running", "SUCCEEDED", "Running")));
    assertTrue(WebhookEvents.problemWith(List.of("DONE")).orElseThrow().startsWith("must name states among"));
    assertTrue(WebhookEvents.problemWith(List.of("UNKNOWN")).isPresent());
    assertTrue(WebhookEvents.problemWith(List.of()).isPresent());
    assertTrue(WebhookEvents.wants(null, dev.aligntok.events.GenerationState.CANCELLED));
    assertTrue(!WebhookEvents.wants(null, dev.aligntok.events.GenerationState.RUNNING));
    assertTrue(WebhookEvents.wants(List.of("RUNNING"), dev.aligntok.events.GenerationState.RUNNING));
  }
}
