package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.aligntok.events.DeadLetter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A caller whose receiver answers 2xx, but more slowly than its calls come, must not fill the
 * delivery's pending calls for everyone: once its backlog has been full for lane-max-wait, its new
 * calls are dead-lettered without a call, and another caller's call still goes out. Every call is
 * accounted for: delivered or dead-lettered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookBacklogHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern REQUEST_ID = Pattern.compile("\"requestId\":\"([^\"]+)\"");

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;
  private HttpServer receiver;
  private final Set<String> slowlyDelivered = ConcurrentHashMap.newKeySet();
  private final Set<String> promptlyDelivered = ConcurrentHashMap.newKeySet();

  @BeforeAll
  void start() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.setExecutor(Executors.newCachedThreadPool());
    receiver.createContext("/slow", exchange -> {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      try {
        Thread.sleep(3_000); // answers, well within the read timeout, but slowly
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      requestId(body).ifPresent(slowlyDelivered::add);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.createContext("/ok", exchange -> {
      requestId(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
          .ifPresent(promptlyDelivered::add);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "webhook-backlog-test", work.resolve("state"), Map.of(
        "aligntok.topics.partitions", 1,
        "aligntok.generate.max-wait", "200ms",
        "aligntok.webhooks.enabled", true,
        "aligntok.webhooks.secret", "whsec_" + Base64.getEncoder().encodeToString(key),
        "aligntok.webhooks.allowed-hosts", "127.0.0.0/8",
        "aligntok.webhooks.read-timeout", "10s",
        "aligntok.webhooks.lane-concurrency", 1,
        "aligntok.webhooks.lane-max-pending", 2,
        "aligntok.webhooks.lane-max-wait", "1s")).awaitReady();
  }

  @AfterAll
  void stop() {
    receiver.stop(0);
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  private static java.util.Optional<String> requestId(String body) {
    Matcher m = REQUEST_ID.matcher(body);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private HttpResponse<String> submit(String id, String apiKey, String webhook) {
    String body = "{\"id\":\"" + id + "\",\"classId\":0,\"count\":1,\"seed\":3,\"steps\":2,\"webhook\":\"" + webhook + "\"}";
    return service.send("POST", "/v1/generations", apiKey, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aCallerBehindForGoodHasItsNewCallsDeadLetteredAndAnotherCallerStillGetsItsCall() throws Exception {
    Set<String> slowIds = new LinkedHashSet<>();
    for (int i = 0; i < 10; i++) {
      String id = "slow-" + i;
      slowIds.add(id);
      assertEquals(202, submit(id, ServiceUnderTest.API_KEY, url("/slow")).statusCode());
    }
    assertEquals(202, submit("prompt-1", "test-key-2", url("/ok")).statusCode());

    long end = System.nanoTime() + WAIT.toNanos();
    while (!promptlyDelivered.contains("prompt-1") && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertTrue(promptlyDelivered.contains("prompt-1"), "the other caller's call went out");

    // Conservation: each slow call is delivered or dead-lettered, never both, never lost.
    List<DeadLetter> letters = List.of();
    Set<String> accounted = new HashSet<>();
    while (!accounted.equals(slowIds) && System.nanoTime() < end) {
      letters = WebhookDeadLetters.found(service, kafka.bootstrapServers(), slowIds, Duration.ofSeconds(2));
      accounted = new HashSet<>(slowlyDelivered);
      for (DeadLetter letter : letters) {
        accounted.add(letter.getRecordId());
      }
    }
    assertEquals(slowIds, accounted, "every call delivered or dead-lettered");
    assertFalse(letters.isEmpty(), "3 s per call, one at a time: the caller falls behind for good");
    assertTrue(slowlyDelivered.size() >= 2, "the calls within the backlog are delivered: " + slowlyDelivered);
    for (DeadLetter letter : letters) {
      assertTrue(letter.getErrorMessage().matches("webhook msg_[0-9a-f]+ not called: caller key:\\S+ has \\d+ webhook calls"
          + " unfinished, its backlog full for \\d+ s; its receivers take its calls more slowly than they come"
          + " \\(lane-max-pending 2, lane-max-wait PT1S\\)"), letter.getErrorMessage());
    }
    assertEquals(slowIds.size(), slowlyDelivered.size() + letters.size(), "each call delivered or dead-lettered, once");
  }
}
