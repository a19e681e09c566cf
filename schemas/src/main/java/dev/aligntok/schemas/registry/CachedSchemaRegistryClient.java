package dev.aligntok.schemas.registry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Caches registry answers in both directions: id → schema (immutable, kept forever) and
 * (subject, schema) → id/version (kept forever: a registered schema keeps its id). The latest
 * version of a subject is cached for {@code latestTtl}, since it changes when someone registers.
 * Thread-safe; a cache miss may call the registry twice under contention, which is harmless.
 */
public final class CachedSchemaRegistryClient implements SchemaRegistryClient {
  private final SchemaRegistryClient delegate;
  private final Duration latestTtl;
  private final Clock clock;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, RegisteredSchema> lookups = new ConcurrentHashMap<>();
  private final Map<String, Expiring> latestBySubject = new ConcurrentHashMap<>();

  public CachedSchemaRegistryClient(SchemaRegistryClient delegate, Duration latestTtl, Clock clock) {
    this.delegate = delegate;
    this.latestTtl = latestTtl;
    this.clock = clock;
  }

  /** A REST client with caching, configured by {@code config}. */
  public static CachedSchemaRegistryClient create(RegistryClientConfig config) {
    return new CachedSchemaRegistryClient(new RestSchemaRegistryClient(config), config.latestCacheTtl(), Clock.systemUTC());
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer id = idsBySubjectSchema.get(key);
    if (id == null) {
      id = delegate.register(subject, schema);
      idsBySubjectSchema.put(key, id);
      schemasById.putIfAbsent(id, schema);
      latestBySubject.remove(subject);
    }
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema schema = schemasById.get(id);
    if (schema == null) {
      schema = delegate.getById(id);
      schemasById.put(id, schema);
    }
    return schema;
  }

  @Override
  public RegisteredSchema lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    RegisteredSchema found = lookups.get(key);
    if (found == null) {
      found = delegate.lookup(subject, schema);
      lookups.put(key, found);
      idsBySubjectSchema.put(key, found.id());
      schemasById.putIfAbsent(found.id(), found.schema());
    }
    return found;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    Instant now = clock.instant();
    Expiring cached = latestBySubject.get(subject);
    if (cached != null && now.isBefore(cached.expiresAt())) {
      return cached.value();
    }
    RegisteredSchema fresh = delegate.latest(subject);
    latestBySubject.put(subject, new Expiring(fresh, now.plus(latestTtl)));
    schemasById.putIfAbsent(fresh.id(), fresh.schema());
    return fresh;
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    return delegate.testCompatibility(subject, schema);
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    return delegate.getCompatibility(subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    delegate.setCompatibility(subject, level);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private record SubjectSchema(String subject, Schema schema) {}

  private record Expiring(RegisteredSchema value, Instant expiresAt) {}
}
