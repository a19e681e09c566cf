package dev.aligntok.tests.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.schemas.EventTopics;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroDeserializer;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Proof of wire compatibility with Confluent's serializer using nothing of ours on the other side:
 * plain HTTP to the registry and plain Avro. Confluent's format is magic byte 0, 4-byte big-endian
 * schema id, Avro binary body.
 */
@WithRealStack
class WireCompatibilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void ourBytesDecodeWithPlainAvroAndTheSchemaFetchedById(RealStack stack) throws Exception {
    String topic = RealStack.uniqueName("wire");
    LatentEvent event = SampleEvents.latentEvent(32, 16, 16);
    byte[] bytes;
    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()))) {
      bytes = EventTopics.LATENTS.valueSerde(registry, AvroSerdeConfig.DEFAULT).serializer().serialize(topic, event);
    }
    assertEquals(0, bytes[0], "magic byte");
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

    Schema writer = new Schema.Parser().parse(get(stack.registryUrl() + "/schemas/ids/" + id).path("schema").asText());
    GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
        .read(null, DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));

    assertEquals(event.getId(), decoded.get("id").toString());
    assertEquals(event.getBundleId(), decoded.get("bundleId").toString());
    GenericRecord latent = (GenericRecord) decoded.get("latent");
    assertEquals(event.getLatent().getData(), latent.get("data"));
    assertEquals("F32", latent.get("dtype").toString());
    assertEquals(event.getProducedAtMs().toEpochMilli(), decoded.get("producedAtMs"));
  }

  @Test
  void bytesFramedByHandAsConfluentWritesThemDecodeWithOurDeserializer(RealStack stack) throws Exception {
    String subject = RealStack.uniqueName("wire-in") + "-value";
    Schema schema = LatentEvent.getClassSchema();
    int id = post(stack.registryUrl() + "/subjects/" + subject + "/versions", Map.of("schema", schema.toString()))
        .path("id").asInt();

    LatentEvent event = SampleEvents.latentEvent(8, 4, 4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<Object>(schema, org.apache.avro.specific.SpecificData.getForSchema(schema)).write(event, encoder);
    encoder.flush();

    try (SchemaRegistryClient registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()))) {
      LatentEvent decoded = AvroDeserializer.specific(LatentEvent.class, registry)
          .deserialize(subject.substring(0, subject.length() - "-value".length()), out.toByteArray());
      assertEquals(event, decoded);
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode get(String url) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private static com.fasterxml.jackson.databind.JsonNode post(String url, Object body) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/vnd.schemaregistry.v1+json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }
}
