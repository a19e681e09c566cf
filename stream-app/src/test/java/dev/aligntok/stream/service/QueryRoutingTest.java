package dev.aligntok.stream.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.query.KeyOwner;
import dev.aligntok.stream.service.query.KeyOwners;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one application on a real broker, each advertising its HTTP address: a status
 * or image asked of the instance that does not own the request's partition is answered by the owner.
 */
class QueryRoutingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path work;

  @Test
  void eitherInstanceAnswersForEveryRequestByAskingTheOwner() throws Exception {
    try (LoopbackKafka kafka = LoopbackKafka.start(Files.createDirectories(work.resolve("kafka")));
         ServiceUnderTest first = instance(kafka, "first");
         ServiceUnderTest second = instance(kafka, "second")) {
      first.awaitReady();
      second.awaitReady();
      List<ServiceUnderTest> both = List.of(first, second);

      HttpResponse<String> accepted = second.postJson("/v1/generations",
          "{\"id\":\"routed-1\",\"classId\":1,\"count\":8,\"seed\":3}");
      assertEquals(202, accepted.statusCode(), accepted.body());
      for (ServiceUnderTest instance : both) {
        HttpResponse<String> done = instance.awaitGet("/v1/generations/routed-1", r -> r.body().contains("SUCCEEDED"));
        assertEquals(8, JSON.readTree(done.body()).get("completed").asInt());
        instance.awaitGet("/v1/generations/routed-1/images/7", r -> r.statusCode() == 200);
      }
      // One instance owns the request's status partition; the other answered above by forwarding.
      KeyOwner.Kind atFirst = owner(first, "routed-1");
      KeyOwner.Kind atSecond = owner(second, "routed-1");
      assertNotEquals(atFirst, atSecond, "exactly one instance owns the key");
      assertEquals(List.of(KeyOwner.Kind.LOCAL, KeyOwner.Kind.REMOTE),
          List.of(atFirst, atSecond).stream().sorted().toList());
      // A second submission of the id is refused at either instance: the non-owner asks the owner.
      for (ServiceUnderTest instance : both) {
        HttpResponse<String> again = instance.postJson("/v1/generations", "{\"id\":\"routed-1\",\"classId\":1}");
        assertEquals(409, again.statusCode(), again.body());
      }
    }
  }

  private ServiceUnderTest instance(LoopbackKafka kafka, String name) {
    int port = freeLoopbackPort();
    return ServiceUnderTest.start(kafka.bootstrapServers(), "routing-test", work.resolve(name), Map.of(
        "micronaut.server.port", port,
        "aligntok.kafka.application-server", "127.0.0.1:" + port));
  }

  private static KeyOwner.Kind owner(ServiceUnderTest instance, String requestId) {
    return instance.context().getBean(KeyOwners.class).of(QueryStores.STATUS, requestId).kind();
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
