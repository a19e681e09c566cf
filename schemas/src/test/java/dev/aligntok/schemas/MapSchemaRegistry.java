package dev.aligntok.schemas;

import dev.aligntok.schemas.registry.CompatibilityLevel;
import dev.aligntok.schemas.registry.CompatibilityResult;
import dev.aligntok.schemas.registry.RegisteredSchema;
import dev.aligntok.schemas.registry.SchemaNotFoundException;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Test double: ids for schemas, held in memory (one id per distinct schema, as a registry assigns
 * them), so the real serializer and deserializer run without a registry process. Only what the
 * serde calls is supported.
 */
final class MapSchemaRegistry implements SchemaRegistryClient {
  private final Map<Schema, Integer> ids = new ConcurrentHashMap<>();
  private final List<Schema> schemas = new ArrayList<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    return ids.computeIfAbsent(schema, s -> {
      schemas.add(s);
      return schemas.size();
    });
  }

  @Override
  public synchronized Schema getById(int id) {
    if (id < 1 || id > schemas.size()) {
      throw new SchemaNotFoundException("Schema " + id + " not found", 404, 40403);
    }
    return schemas.get(id - 1);
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public RegisteredSchema latest(String subject) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    throw new UnsupportedOperationException("not used by these tests");
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    throw new UnsupportedOperationException("not used by these tests");
  }
}
