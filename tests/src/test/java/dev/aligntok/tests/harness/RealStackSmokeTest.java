package dev.aligntok.tests.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: a real broker with transactions, a real registry with BACKWARD compatibility.
 */
@WithRealStack
class RealStackSmokeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String SCHEMA_V1 =
      """
      {"type":"record","name":"Smoke","namespace":"dev.aligntok.tests","doc":"harness smoke test",\
      "fields":[{"name":"id","type":"string","doc":"an id"}]}\
      """;

  /** Adds a field without a default: not BACKWARD compatible with v1. */
  private static final String SCHEMA_V2_INCOMPATIBLE =
      """
{"type":"record","name":"Smoke","namespace":"dev.aligntok.tests","doc":"harness smoke test",\
"fields":[{"name":"id","type":"string","doc":"an id"},{"name":"n","type":"int","doc":"a count"}]}\
""";

  @Test
  void consumerSeesCommittedTransactionsOnly(RealStack stack) {
    String topic = RealStack.uniqueName("smoke");
    stack.createTopics(topic);
    TopicPartition partition = new TopicPartition(topic, 0);

    try (var producer =
        new KafkaProducer<>(
            stack.transactionalProducerProps(RealStack.uniqueName("smoke-tx")),
            new StringSerializer(),
            new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k1", "committed"));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k2", "aborted"));
      producer.abortTransaction();
    }

    List<String> seen = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            stack.consumerProps(RealStack.uniqueName("smoke-group")),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.assign(Set.of(partition));
      // read_committed: the end offset is the last stable offset, past the abort marker.
      long end = consumer.endOffsets(Set.of(partition)).get(partition);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(partition) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          seen.add(record.key() + "=" + record.value());
        }
      }
      assertTrue(consumer.position(partition) >= end, "consumer did not reach offset " + end);
    }
    assertEquals(List.of("k1=committed"), seen);
  }

  @Test
  void registersAvroSchemaAndFetchesItById(RealStack stack) throws Exception {
    String subject = RealStack.uniqueName("smoke") + "-value";
    String other = RealStack.uniqueName("smoke") + "-value";

    int id = register(stack, subject, SCHEMA_V1);
    assertEquals(id, register(stack, subject, SCHEMA_V1), "same schema, same subject: same id");
    assertEquals(id, register(stack, other, SCHEMA_V1), "same schema, other subject: same id");

    HttpResponse<String> byId = send(stack, "GET", "/schemas/ids/" + id, null);
    assertEquals(200, byId.statusCode(), byId.body());
    assertEquals(
        JSON.readTree(SCHEMA_V1), JSON.readTree(JSON.readTree(byId.body()).get("schema").asText()));

    HttpResponse<String> lookup =
        send(stack, "POST", "/subjects/" + subject, schemaBody(SCHEMA_V1));
    assertEquals(200, lookup.statusCode(), lookup.body());
    assertEquals(id, JSON.readTree(lookup.body()).get("id").asInt());
    assertEquals(1, JSON.readTree(lookup.body()).get("version").asInt());
  }

  @Test
  void globalCompatibilityIsBackward(RealStack stack) throws Exception {
    HttpResponse<String> config = send(stack, "GET", "/config", null);
    assertEquals(200, config.statusCode(), config.body());
    assertEquals("BACKWARD", JSON.readTree(config.body()).get("compatibilityLevel").asText());

    String subject = RealStack.uniqueName("smoke-compat") + "-value";
    register(stack, subject, SCHEMA_V1);
    HttpResponse<String> rejected =
        send(
            stack,
            "POST",
            "/subjects/" + subject + "/versions",
            schemaBody(SCHEMA_V2_INCOMPATIBLE));
    assertEquals(409, rejected.statusCode(), rejected.body());
  }

  private static int register(RealStack stack, String subject, String schema) throws Exception {
    HttpResponse<String> response =
        send(stack, "POST", "/subjects/" + subject + "/versions", schemaBody(schema));
    assertEquals(200, response.statusCode(), response.body());
    JsonNode id = JSON.readTree(response.body()).get("id");
    assertTrue(id != null && id.isInt(), response.body());
    return id.asInt();
  }

  private static String schemaBody(String schema) throws IOException {
    return JSON.writeValueAsString(Map.of("schema", schema));
  }

  private static HttpResponse<String> send(RealStack stack, String method, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.registryUrl() + path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", ApicurioProcess.CONTENT_TYPE)
            .header("Content-Type", ApicurioProcess.CONTENT_TYPE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
