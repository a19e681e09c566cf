package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.stream.config.TopicNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed webhooks through the real service, broker and ONNX runtime, to a loopback receiver (the
 * JDK's HttpServer): the calls carry Standard Webhooks headers whose signature this test
 * recomputes itself; a receiver that redirects or hangs is retried and then dead-lettered (stage
 * WEBHOOK) while other calls go on; disallowed URLs are refused with 400; a delivery consumer
 * that reads the statuses again after a restart calls again with the same webhook-id; and a
 * receiver that keeps failing is suspended, so most of its backlog is dead-lettered without a call
 * while another caller's call goes through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String APP = "webhook-test";

  @TempDir
  static Path work;

  private final byte[] key = new byte[32];
  private LoopbackKafka kafka;
  private ServiceUnderTest service;
  private HttpServer receiver;
  /** A second server, down in the way that costs the most: it takes calls and never answers. */
  private HttpServer deadReceiver;
  private final List<Call> deadCalls = new CopyOnWriteArrayList<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  /** One call the receiver got. */
  private record Call(String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }
  }

  @BeforeAll
  void start() throws Exception {
    new SecureRandom().nextBytes(key);
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.createContext("/ok", exchange -> answer(exchange, 204, null));
    receiver.createContext("/redirect", exchange -> answer(exchange, 302, "/ok"));
    receiver.createContext("/hang", exchange -> {
      record(exchange);
      try {
        release.await(60, TimeUnit.SECONDS); // never answers within the read timeout
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    receiver.start();
    deadReceiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    deadReceiver.setExecutor(Executors.newCachedThreadPool());
    deadReceiver.createContext("/", exchange -> {
      deadCalls.add(new Call(exchange.getRequestURI().getPath(), Map.of(), exchange.getRequestBody().readAllBytes()));
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    deadReceiver.start();
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = startService();
  }

  private ServiceUnderTest startService() {
    return ServiceUnderTest.start(kafka.bootstrapServers(), APP, work.resolve("state"), Map.ofEntries(
        Map.entry("aligntok.topics.partitions", 1),
        Map.entry("aligntok.generate.max-wait", "200ms"),
        Map.entry("aligntok.webhooks.enabled", true),
        Map.entry("aligntok.webhooks.secret", "whsec_" + Base64.getEncoder().encodeToString(key)),
        Map.entry("aligntok.webhooks.allowed-hosts", "127.0.0.0/8"),
        Map.entry("aligntok.webhooks.public-url", "http://service.test"),
        Map.entry("aligntok.webhooks.max-attempts", 3),
        Map.entry("aligntok.webhooks.initial-backoff", "200ms"),
        Map.entry("aligntok.webhooks.max-backoff", "30s"), // the retries wait 200 and 400 ms; a suspension lasts 30 s
        Map.entry("aligntok.webhooks.read-timeout", "1s"),
        Map.entry("aligntok.webhooks.start-from", "earliest"))).awaitReady();
  }

  @AfterAll
  void stop() {
    release.countDown();
    receiver.stop(0);
    deadReceiver.stop(0);
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  private void answer(HttpExchange exchange, int status, String location) throws IOException {
    record(exchange);
    if (location != null) {
      exchange.getResponseHeaders().add("Location", location);
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private void record(HttpExchange exchange) throws IOException {
    Map<String, String> headers = new HashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
    calls.add(new Call(exchange.getRequestURI().getPath(), headers, exchange.getRequestBody().readAllBytes()));
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private List<Call> awaitCalls(Predicate<Call> which, int count) throws InterruptedException {
    long end = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < end) {
      List<Call> matching = calls.stream().filter(which).toList();
      if (matching.size() >= count) {
        return matching;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("expected " + count + " matching webhook calls within " + WAIT + ", got "
        + calls.stream().filter(which).count() + " (all calls: " + calls.size() + ")");
  }

  private static Predicate<Call> forRequest(String id) {
    return call -> new String(call.body, StandardCharsets.UTF_8).contains("\"requestId\":\"" + id + "\"");
  }

  /** The Standard Webhooks signature, computed here from the spec rather than by the service's signer. */
  private String expectedSignature(Call call) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    String signed = call.header("webhook-id") + "." + call.header("webhook-timestamp") + "."
        + new String(call.body, StandardCharsets.UTF_8);
    return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> submit(String id, String webhook, String events) {
    return service.postJson("/v1/generations", "{\"id\":\"" + id + "\",\"classId\":0,\"count\":2,\"seed\":3,\"steps\":2"
        + (webhook == null ? "" : ",\"webhook\":\"" + webhook + "\"") + (events == null ? "" : ",\"webhookEvents\":" + events)
        + "}");
  }

  @Test
  @Order(1)
  void aReceiverGetsSignedCallsForTheStatesItAskedFor() throws Exception {
    HttpResponse<String> accepted = submit("hooked-1", url("/ok"), "[\"running\",\"SUCCEEDED\"]");
    assertEquals(202, accepted.statusCode(), accepted.body());
    List<Call> got = awaitCalls(forRequest("hooked-1").and(c -> c.body.length > 0
        && new String(c.body, StandardCharsets.UTF_8).contains("SUCCEEDED")), 1);
    service.awaitGet("/v1/generations/hooked-1", r -> r.body().contains("SUCCEEDED"));
    List<Call> all = awaitCalls(forRequest("hooked-1"), 2);
    assertEquals(Set.of("generation.running", "generation.succeeded"), all.stream()
        .map(c -> json(c).get("type").asText()).collect(java.util.stream.Collectors.toSet()), "QUEUED was not asked for");
    for (Call call : all) {
      assertEquals("/ok", call.path);
      assertEquals("application/json", call.header("content-type"));
      assertTrue(call.header("webhook-id").startsWith("msg_"), call.headers.toString());
      assertEquals(expectedSignature(call), call.header("webhook-signature"));
      long age = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(call.header("webhook-timestamp")));
      assertTrue(age < 600, "webhook-timestamp is unix seconds of the call, got " + call.header("webhook-timestamp"));
    }
    assertNotEquals(all.get(0).header("webhook-id"), all.get(1).header("webhook-id"), "one id per event");
    JsonNode done = json(got.get(0));
    assertEquals("hooked-1", done.get("requestId").asText());
    assertEquals(2, done.get("completed").asInt());
    assertEquals(2, done.get("total").asInt());
    assertEquals("http://service.test/v1/generations/hooked-1", done.get("status").asText());
    assertEquals("http://service.test/v1/generations/hooked-1/images/1", done.get("images").get(1).asText());
    assertEquals(200, service.getBytes("/v1/generations/hooked-1/images/1").statusCode(), "the linked image exists");
  }

  @Test
  @Order(2)
  void receiversThatRedirectOrHangAreRetriedThenDeadLetteredWithoutHoldingUpOthers() throws Exception {
    MeterRegistry meters = service.context().getBean(MeterRegistry.class);
    double deadBefore = meters.counter("aligntok.webhooks.dead.letters").count();
    assertEquals(202, submit("redirected-1", url("/redirect"), null).statusCode());
    assertEquals(202, submit("hanging-1", url("/hang"), null).statusCode());
    assertEquals(202, submit("fine-1", url("/ok"), null).statusCode());

    List<Call> redirected = awaitCalls(forRequest("redirected-1"), 3);
    assertEquals(1, redirected.stream().map(c -> c.header("webhook-id")).distinct().count(), "retries keep the id");
    awaitCalls(forRequest("fine-1"), 1);
    List<Call> hung = awaitCalls(forRequest("hanging-1"), 3);
    assertEquals(1, hung.stream().map(c -> c.header("webhook-id")).distinct().count());

    List<DeadLetter> letters = deadLetters(Set.of("redirected-1", "hanging-1"));
    for (DeadLetter letter : letters) {
      assertEquals(FailureStage.WEBHOOK, letter.getStage());
      assertTrue(letter.getErrorMessage().contains("after 3 attempt(s)"), letter.getErrorMessage());
      assertEquals(service.context().getBean(TopicNames.class).status(), letter.getSourceTopic());
    }
    assertTrue(letters.stream().anyMatch(l -> l.getErrorMessage().contains("302 (redirects are not followed)")));
    assertTrue(letters.stream().anyMatch(l -> l.getErrorMessage().contains("no complete response line")));
    assertFalse(calls.stream().anyMatch(c -> c.path.equals("/ok") && forRequest("redirected-1").test(c)),
        "the redirect was not followed");
    assertEquals(3, calls.stream().filter(forRequest("redirected-1")).count(), "no call after the dead letter");
    assertTrue(meters.counter("aligntok.webhooks.dead.letters").count() >= deadBefore + 2);
    assertTrue(meters.counter("aligntok.webhooks.delivered").count() >= 1);
  }

  @Test
  @Order(3)
  void disallowedWebhooksAreRefusedWith400() throws Exception {
    Map<String, String> cases = Map.of(
        "http://10.0.0.1/hook", "has address 10.0.0.1, which is not on the allow-list",
        "https://example.com/hook", "has host example.com, which is not on the allow-list",
        "ftp://127.0.0.1/hook", "must be an http or https URL",
        "http://2130706433/", "numeric form this service does not accept",
        "http://[::1]/hook", "has address 0:0:0:0:0:0:0:1, which is not on the allow-list");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      HttpResponse<String> refused = submit("refused-" + UUID.randomUUID().toString().substring(0, 8), c.getKey(), null);
      assertEquals(400, refused.statusCode(), c.getKey());
      JsonNode field = JSON.readTree(refused.body()).get("errors").get(0);
      assertEquals("webhook", field.get("field").asText(), refused.body());
      assertTrue(field.get("message").asText().contains(c.getValue()), c.getKey() + ": " + refused.body());
    }
    HttpResponse<String> badEvents = submit("refused-events", url("/ok"), "[\"DONE\"]");
    assertEquals(400, badEvents.statusCode());
    assertTrue(badEvents.body().contains("webhookEvents must name states among"), badEvents.body());
  }

  @Test
  @Order(4)
  void callsMadeAgainAfterARestartKeepTheirWebhookId() throws Exception {
    List<Call> first = awaitCalls(forRequest("hooked-1"), 2);
    service.close();
    // As after a crash before the commit: the delivery group reads the statuses from the start again.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.deleteConsumerGroups(List.of(APP + "-webhooks")).all().get(30, TimeUnit.SECONDS);
    }
    int before = calls.stream().filter(forRequest("hooked-1")).toList().size();
    service = startService();
    List<Call> again = awaitCalls(forRequest("hooked-1"), before + 2);
    List<String> firstIds = first.stream().map(c -> c.header("webhook-id")).sorted().toList();
    List<String> repeatedIds = again.subList(before, again.size()).stream().map(c -> c.header("webhook-id"))
        .distinct().sorted().toList();
    assertEquals(firstIds, repeatedIds, "a repeated call has the id of the first, so the receiver drops it");
  }

  @Test
  @Order(5)
  void aReceiverThatKeepsFailingIsSuspendedSoItsBacklogDrainsAndOtherCallersGoOn() throws Exception {
    int requests = 8; // 24 attempts with 3 each, without the breaker
    String dead = "http://127.0.0.1:" + deadReceiver.getAddress().getPort() + "/hook";
    Set<String> ids = new java.util.LinkedHashSet<>();
    for (int i = 0; i < requests; i++) {
      String id = "to-dead-" + i;
      ids.add(id);
      assertEquals(202, submit(id, dead, null).statusCode());
    }
    HttpResponse<String> other = service.send("POST", "/v1/generations", "test-key-2", "application/json",
        ("{\"id\":\"other-caller-1\",\"classId\":0,\"count\":1,\"seed\":3,\"steps\":2,\"webhook\":\"" + url("/ok")
            + "\"}").getBytes(StandardCharsets.UTF_8));
    assertEquals(202, other.statusCode(), other.body());

    List<DeadLetter> letters = deadLetters(ids);
    List<String> skipped = letters.stream().map(DeadLetter::getErrorMessage).filter(m -> m.contains(" not called")).toList();
    assertFalse(skipped.isEmpty(), "after 10 failed attempts in a row the receiver is suspended: " + letters);
    assertTrue(skipped.get(0).matches("webhook msg_[0-9a-f]+ not called( again after \\d attempt\\(s\\))?: receiver "
        + "http://127\\.0\\.0\\.1:\\d+ is suspended until \\S+ after \\d+ failed attempts in a row \\(last: .+\\)"),
        skipped.get(0));
    // At the 10th failure at most a lane's worth (4) more attempts were already under way.
    assertTrue(deadCalls.size() <= 10 + 4, deadCalls.size() + " calls to the dead receiver, of 24 without suspension");
    awaitCalls(forRequest("other-caller-1"), 1);
  }

  private static JsonNode json(Call call) {
    try {
      return JSON.readTree(call.body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + new String(call.body, StandardCharsets.UTF_8), e);
    }
  }

  private List<DeadLetter> deadLetters(Set<String> ids) {
    return WebhookDeadLetters.of(service, kafka.bootstrapServers(), ids, WAIT);
  }
}
