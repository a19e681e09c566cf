package dev.aligntok.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/** Speaks the Confluent Schema Registry REST API (v7); no caching — wrap in {@link CachedSchemaRegistryClient}. */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
  private final RegistryTransport transport;

  public RestSchemaRegistryClient(RegistryClientConfig config) {
    this.transport = new RegistryTransport(config);
  }

  @Override
  public int register(String subject, Schema schema) {
    JsonNode reply = transport.send("POST", "/subjects/" + encode(subject) + "/versions", body(schema));
    return requiredInt(reply, "id", "register under " + subject);
  }

  @Override
  public Schema getById(int id) {
    JsonNode reply = transport.send("GET", "/schemas/ids/" + id, null);
    return parse(reply.path("schema").asText(null), "schema id " + id);
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    JsonNode reply = transport.send("POST", "/subjects/" + encode(subject), body(schema));
    return registered(subject, reply);
  }

  @Override
  public RegisteredSchema latest(String subject) {
    JsonNode reply = transport.send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
    return registered(subject, reply);
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    try {
      JsonNode reply = transport.send("POST",
          "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true", body(schema));
      List<String> messages = new ArrayList<>();
      reply.path("messages").forEach(m -> messages.add(m.asText()));
      return new CompatibilityResult(reply.path("is_compatible").asBoolean(false), messages);
    } catch (SubjectNotFoundException | VersionNotFoundException noEarlierVersion) {
      // Nothing registered yet: any schema may become the first version.
      return new CompatibilityResult(true, List.of());
    }
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    JsonNode reply = transport.send("GET", configPath(subject), null);
    String level = reply.has("compatibilityLevel")
        ? reply.get("compatibilityLevel").asText()
        : reply.path("compatibility").asText(null);
    if (level == null) {
      throw new SchemaRegistryException("GET " + configPath(subject) + " returned no compatibility level: " + reply, 200, -1, null);
    }
    return CompatibilityLevel.valueOf(level);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    transport.send("PUT", configPath(subject), Map.of("compatibility", level.name()));
  }

  private static String configPath(String subject) {
    return subject == null ? "/config" : "/config/" + encode(subject);
  }

  private static Map<String, String> body(Schema schema) {
    // Confluent's serializer omits schemaType for Avro; so do we.
    return Map.of("schema", schema.toString());
  }

  private static RegisteredSchema registered(String subject, JsonNode reply) {
    String what = "schema of subject " + subject;
    return new RegisteredSchema(subject, requiredInt(reply, "id", what), requiredInt(reply, "version", what),
        parse(reply.path("schema").asText(null), what));
  }

  private static int requiredInt(JsonNode reply, String field, String what) {
    JsonNode value = reply.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw new SchemaRegistryException("registry reply for " + what + " has no integer '" + field + "': " + reply, 200, -1, null);
    }
    return value.asInt();
  }

  private static Schema parse(String text, String what) {
    if (text == null) {
      throw new SchemaRegistryException("registry reply for " + what + " has no 'schema' field", 200, -1, null);
    }
    try {
      return new Schema.Parser().parse(text);
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException("registry returned an unparseable Avro schema for " + what + ": " + e.getMessage(), 200, -1, e);
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
