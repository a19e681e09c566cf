package dev.aligntok.stream.testing;

import dev.aligntok.schemas.registry.CompatibilityLevel;
import dev.aligntok.schemas.registry.CompatibilityResult;
import dev.aligntok.schemas.registry.RegisteredSchema;
import dev.aligntok.schemas.registry.SchemaNotFoundException;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.registry.SubjectNotFoundException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Test double: a schema registry held in memory, with the registry's id semantics (one global id
 * per distinct schema, versions per subject) so the real Avro serde runs unchanged against it.
 * The schemas module offers no in-process registry; broker-backed tests use the real Apicurio one.
 */
public final class InProcessSchemaRegistry implements SchemaRegistryClient {
  private final Map<Schema, Integer> idsBySchema = new HashMap<>();
  private final Map<Integer, Schema> schemasById = new HashMap<>();
  private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();

  @Override
  public synchronized int register(String subject, Schema schema) {
    int id = idsBySchema.computeIfAbsent(schema, s -> {
      int next = idsBySchema.size() + 1;
      schemasById.put(next, s);
      return next;
    });
    List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  @Override
  public synchronized Schema getById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      throw new SchemaNotFoundException("Schema " + id + " not found", 404, 40403);
    }
    return schema;
  }

  @Override
  public synchronized RegisteredSchema lookup(String subject, Schema schema) {
    List<Integer> versions = versions(subject);
    Integer id = idsBySchema.get(schema);
    if (id == null || !versions.contains(id)) {
      throw new SchemaNotFoundException("Schema not found under " + subject, 404, 40403);
    }
    return new RegisteredSchema(subject, id, versions.indexOf(id) + 1, schema);
  }

  @Override
  public synchronized RegisteredSchema latest(String subject) {
    List<Integer> versions = versions(subject);
    int id = versions.get(versions.size() - 1);
    return new RegisteredSchema(subject, id, versions.size(), schemasById.get(id));
  }

  /** Checks BACKWARD only (the product's level): the new schema must read the latest version's data. */
  @Override
  public synchronized CompatibilityResult testCompatibility(String subject, Schema schema) {
    List<Integer> versions = versionsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      return new CompatibilityResult(true, List.of());
    }
    Schema latest = schemasById.get(versions.get(versions.size() - 1));
    SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(schema, latest);
    boolean compatible = result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    return new CompatibilityResult(compatible, compatible ? List.of() : List.of(result.getDescription()));
  }

  @Override
  public synchronized CompatibilityLevel getCompatibility(String subject) {
    return levels.getOrDefault(subject == null ? "" : subject, CompatibilityLevel.BACKWARD);
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    levels.put(subject == null ? "" : subject, level);
  }

  private List<Integer> versions(String subject) {
    List<Integer> versions = versionsBySubject.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SubjectNotFoundException("Subject '" + subject + "' not found", 404, 40401);
    }
    return versions;
  }
}
