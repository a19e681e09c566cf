package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.stream.service.http.TestJwts;
import dev.aligntok.stream.service.kafka.EventPublisher;
import dev.aligntok.stream.service.kafka.OwnerTags;
import dev.aligntok.stream.testing.TestPngs;
import dev.aligntok.stream.testing.TinyBundles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authorization over real HTTP on the running service (real broker, real filter): roles per route,
 * requests answering only their owner or an admin, bundle reloads confined to the bundle roots, and
 * body limits per route.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationHttpTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OWNER = ServiceUnderTest.API_KEY;      // legacy key: submit + read
  private static final String STRANGER = "test-key-2";               // legacy key: submit + read, another owner
  private static final String ADMIN = ServiceUnderTest.ADMIN_KEY;
  private static final String SUBMIT_ONLY = "submit-only-key";
  private static final String READ_ONLY = "read-only-key";
  private static final String ALICE = "alice-key";                    // named key "alice": submit + read
  private static final long MAX_IMAGE_BYTES = 200_000;

  @TempDir
  static Path work;

  private LoopbackKafka kafka;
  private ServiceUnderTest service;
  private Path root;

  @BeforeAll
  void start() throws Exception {
    kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
    root = Files.createDirectories(work.resolve("bundles"));
    service = ServiceUnderTest.start(kafka.bootstrapServers(), "authz-test", work.resolve("state"), Map.of(
        "aligntok.auth.keys.submitter.key", SUBMIT_ONLY,
        "aligntok.auth.keys.submitter.roles", "submit",
        "aligntok.auth.keys.reader.key", READ_ONLY,
        "aligntok.auth.keys.reader.roles", "read",
        "aligntok.auth.keys.alice.key", ALICE,
        "aligntok.tokenize.owner-secret", "an-owner-secret-of-at-least-32-bytes!",
        "aligntok.model.bundle-roots", root.toString(),
        "aligntok.tokenize.max-encoded-bytes", MAX_IMAGE_BYTES)).awaitReady();
  }

  @AfterAll
  void stop() {
    try (LoopbackKafka stoppingKafka = kafka; ServiceUnderTest stoppingService = service) {
      // nothing to do but close
    }
  }

  @Test
  void eachRouteNeedsItsRoleAndRefusalsAreGeneric() throws Exception {
    HttpResponse<String> readerSubmits = service.postJson("/v1/generations", "{\"classId\":1}", READ_ONLY);
    assertEquals(403, readerSubmits.statusCode(), readerSubmits.body());
    assertEquals("{\"message\":\"this credential may not do that\"}", readerSubmits.body(), "and nothing else");
    assertEquals(403, service.send("GET", "/v1/generations/any", SUBMIT_ONLY, null, null).statusCode(),
        "reading needs read");
    assertEquals(403, service.send("DELETE", "/v1/generations/any", READ_ONLY, null, null).statusCode(),
        "cancelling needs submit");
    assertEquals(202, service.postJson("/v1/generations", "{\"id\":\"by-submitter\",\"classId\":1}", SUBMIT_ONLY)
        .statusCode());
    assertEquals(404, service.send("GET", "/v1/generations/never-seen", READ_ONLY, null, null).statusCode());
    for (String key : new String[] {OWNER, SUBMIT_ONLY, READ_ONLY}) {
      assertEquals(403, service.postJson("/v1/admin/bundle", "{\"path\":\"/x\"}", key).statusCode(), key);
    }
    // Odd spellings of the admin path do not reach the controller past the role check.
    for (String path : new String[] {"//v1/admin/bundle", "/v1//admin/bundle", "/v1/admin/bundle/"}) {
      int status = service.postJson(path, "{\"path\":\"/x\"}", OWNER).statusCode();
      assertTrue(status == 403 || status == 404, path + " answered " + status);
    }
    String rolesClaim = "{\"iss\":\"https://issuer.test\",\"aud\":\"" + ServiceUnderTest.JWT_AUDIENCE
        + "\",\"sub\":\"svc\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + ",\"roles\":[\"read\"]}";
    String readToken = "Bearer " + TestJwts.hs256(ServiceUnderTest.JWT_SECRET, rolesClaim);
    assertEquals(403, service.postJson("/v1/generations", "{\"classId\":1}", readToken).statusCode());
    assertEquals(404, service.send("GET", "/v1/generations/never-seen", readToken, null, null).statusCode());

    String foreign = "{\"iss\":\"https://issuer.test\",\"aud\":\"someone-else\",\"sub\":\"svc\",\"exp\":"
        + (Instant.now().getEpochSecond() + 600) + "}";
    HttpResponse<String> wrongAudience = service.send("GET", "/v1/generations/x",
        "Bearer " + TestJwts.hs256(ServiceUnderTest.JWT_SECRET, foreign), null, null);
    assertEquals(401, wrongAudience.statusCode());
    assertFalse(wrongAudience.body().contains(ServiceUnderTest.JWT_AUDIENCE) || wrongAudience.body().contains("issuer"),
        "the expected audience and issuer stay unsaid: " + wrongAudience.body());
  }

  @Test
  void aRequestAnswersOnlyItsOwnerOrAnAdminAndIs404ForEveryoneElse() throws Exception {
    assertEquals(202, service.postJson("/v1/generations",
        "{\"id\":\"owned-1\",\"classId\":2,\"count\":8,\"steps\":2}", OWNER).statusCode());
    service.awaitGet("/v1/generations/owned-1", r -> r.body().contains("\"SUCCEEDED\""));
    service.awaitGet("/v1/generations/owned-1/images/0", r -> r.statusCode() == 200);

    HttpResponse<String> notFound = service.send("GET", "/v1/generations/never-submitted-x", STRANGER, null, null);
    for (String path : new String[] {"/v1/generations/owned-1", "/v1/generations/owned-1/images/0"}) {
      HttpResponse<String> strangers = service.send("GET", path, STRANGER, null, null);
      assertEquals(404, strangers.statusCode(), path + ": " + strangers.body());
      assertEquals(200, service.send("GET", path, ADMIN, null, null).statusCode(), "an admin sees " + path);
    }
    assertEquals(notFound.body().replace("never-submitted-x", "owned-1"),
        service.send("GET", "/v1/generations/owned-1", STRANGER, null, null).body(),
        "another caller's request reads exactly like an unknown id");
    assertEquals(404, service.send("DELETE", "/v1/generations/owned-1", STRANGER, null, null).statusCode());

    // Reusing another caller's id is answered as for an unknown id; the first request's status stands.
    HttpResponse<String> reuse = service.postJson("/v1/generations", "{\"id\":\"owned-1\",\"classId\":1}", STRANGER);
    assertEquals(202, reuse.statusCode(), reuse.body());
    HttpResponse<String> ownRetry = service.postJson("/v1/generations", "{\"id\":\"owned-1\",\"classId\":2}", OWNER);
    assertEquals(409, ownRetry.statusCode(), "the owner's own retry is told: " + ownRetry.body());
    Thread.sleep(2000);
    assertTrue(service.get("/v1/generations/owned-1").body().contains("\"SUCCEEDED\""));
    assertEquals(404, service.send("GET", "/v1/generations/owned-1", STRANGER, null, null).statusCode());
  }

  @Test
  void aRequestWrittenStraightToKafkaHasNoOwnerAndIsAnAdminsOnly() {
    service.context().getBean(EventPublisher.class).request(GenerationRequest.newBuilder()
        .setId("ownerless-1").setClassId(1).setCount(1).setCreatedAtMs(Instant.now()).build());
    HttpResponse<String> queued = service.awaitGetAs("/v1/generations/ownerless-1", ADMIN, r -> r.statusCode() == 200);
    assertTrue(queued.body().contains("ownerless-1"), queued.body());
    assertEquals(404, service.send("GET", "/v1/generations/ownerless-1", OWNER, null, null).statusCode());
    assertEquals(202, service.send("DELETE", "/v1/generations/ownerless-1", ADMIN, null, null).statusCode());
  }

  @Test
  void aRequestWrittenToKafkaInACallersNameWithoutTheServicesTagIsNotTheirs() {
    OwnerTags owners = service.context().getBean(OwnerTags.class);
    EventPublisher publisher = service.context().getBean(EventPublisher.class);
    Map<String, String> spoofs = Map.of(
        "spoofed-untagged", "",
        "spoofed-forged", "forged",
        "spoofed-borrowed", owners.requestTag("alices-real-request", "key:alice"));
    spoofs.forEach((id, tag) -> publisher.request(GenerationRequest.newBuilder().setId(id).setClassId(1).setCount(1)
        .setOwner("key:alice").setOwnerTag(tag.isEmpty() ? null : tag).setCreatedAtMs(Instant.now()).build()));
    assertEquals(202, service.postJson("/v1/generations", "{\"id\":\"alices-real-request\",\"classId\":1,\"count\":1,"
        + "\"steps\":2}", ALICE).statusCode());

    service.awaitGetAs("/v1/generations/alices-real-request", ALICE, r -> r.statusCode() == 200);
    for (String id : spoofs.keySet()) {
      service.awaitGetAs("/v1/generations/" + id, ADMIN, r -> r.statusCode() == 200);
      assertEquals(404, service.send("GET", "/v1/generations/" + id, ALICE, null, null).statusCode(),
          id + " names alice as its owner, but only the HTTP API can make a request hers");
    }
  }

  @Test
  void reloadsStayUnderTheBundleRootsAndAnswerWithoutPaths() throws Exception {
    Path outside = TinyBundles.write(work.resolve("outside").resolve("bundle"), "outside");
    Path link = Files.createSymbolicLink(root.resolve("escape"), outside);
    for (Path refused : new Path[] {outside, link, root.resolve("..").resolve("outside").resolve("bundle"),
        root.resolve("missing"), root}) {
      HttpResponse<String> answer = service.postJson("/v1/admin/bundle", "{\"path\":\"" + refused + "\"}", ADMIN);
      assertEquals(400, answer.statusCode(), refused + ": " + answer.body());
      assertFalse(answer.body().contains(work.toString()), "no path in the answer: " + answer.body());
    }
    HttpResponse<String> relative = service.postJson("/v1/admin/bundle", "{\"path\":\"bundles/x\"}", ADMIN);
    assertTrue(relative.body().contains("must be absolute"), relative.body());
  }

  @Test
  void bodiesAboveTheirRoutesLimitAre413BeforeBeingRead() {
    byte[] json = ("{\"classId\":1,\"metadata\":{\"pad\":\"" + "x".repeat(64 * 1024) + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
    // Headers alone: a client that sent the whole body could see the early 413 as a broken pipe.
    String bigJson = answerToHeadersAlone("/v1/generations", OWNER, "application/json", json.length);
    assertTrue(bigJson.startsWith("HTTP/1.1 413"), bigJson);
    assertTrue(bigJson.contains("at most 65536"), bigJson);
    String admin = answerToHeadersAlone("/v1/admin/bundle", ADMIN, "application/json", json.length);
    assertTrue(admin.startsWith("HTTP/1.1 413"), admin);
    String anonymous = answerToHeadersAlone("/v1/generations", null, "application/json", json.length);
    assertTrue(anonymous.startsWith("HTTP/1.1 413"), "refused before authentication reads anything: " + anonymous);

    byte[] png = TestPngs.solid(4, 4, 1, 2, 3);
    byte[] atLimit = java.util.Arrays.copyOf(png, (int) MAX_IMAGE_BYTES);
    assertEquals(202, service.send("POST", "/v1/tokenize", OWNER, "image/png", atLimit).statusCode(),
        "an image at the limit passes the filter");
    byte[] overLimit = java.util.Arrays.copyOf(png, (int) MAX_IMAGE_BYTES + 1);
    String refusal = answerToHeadersAlone("/v1/tokenize", OWNER, "image/png", overLimit.length);
    assertTrue(refusal.startsWith("HTTP/1.1 413"), refusal);
    assertTrue(refusal.contains("at most " + MAX_IMAGE_BYTES), refusal);

    // A chunked body declares no length: the server's max-request-size still caps it.
    assertEquals(413, chunked("/v1/generations", overLimit).statusCode());
  }

  /**
   * Sends only the request line and headers, announcing {@code contentLength} bytes it never sends,
   * and returns what the server answers: a refusal that needs no body arrives anyway. (A client that
   * did send the body could see the early 413 and close as a broken pipe instead.)
   */
  private String answerToHeadersAlone(String path, String apiKey, String contentType, long contentLength) {
    URI base = URI.create(service.baseUrl());
    try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(10_000);
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + base.getHost()
          + (apiKey == null ? "" : "\r\nX-API-Key: " + apiKey)
          + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + contentLength + "\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      return readAnswer(socket.getInputStream());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("POST " + path + " (headers only) failed", e);
    }
  }

  /** The status line, headers and (by its Content-Length) body of one answer; segments may arrive apart. */
  private static String readAnswer(java.io.InputStream in) throws java.io.IOException {
    java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int read;
    while ((read = in.read(buffer)) >= 0) {
      answer.write(buffer, 0, read);
      String text = answer.toString(StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
      if (end >= 0 && (!length.find() || answer.size() >= end + 4 + Integer.parseInt(length.group(1)))) {
        return text;
      }
    }
    return answer.size() == 0 ? "(closed without an answer)" : answer.toString(StandardCharsets.UTF_8);
  }

  private HttpResponse<String> chunked(String path, byte[] body) {
    // A publisher of unknown length makes the JDK client send Transfer-Encoding: chunked.
    HttpRequest.BodyPublisher unknownLength = new HttpRequest.BodyPublisher() {
      private final HttpRequest.BodyPublisher bytes = HttpRequest.BodyPublishers.ofByteArray(body);

      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
        bytes.subscribe(subscriber);
      }
    };
    HttpRequest request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
        .header("X-API-Key", OWNER).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(unknownLength).build();
    try {
      return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
