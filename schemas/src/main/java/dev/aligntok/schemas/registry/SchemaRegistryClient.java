package dev.aligntok.schemas.registry;

import org.apache.avro.Schema;

/**
 * The calls of the Confluent Schema Registry REST API that the serde and the tools need.
 * Implementations throw {@link SchemaRegistryException} subclasses, never raw I/O errors.
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The schema with this global id. */
  Schema getById(int id);

  /** The id and version of {@code schema} under {@code subject}; {@link SchemaNotFoundException} if absent. */
  RegisteredSchema lookup(String subject, Schema schema);

  /** The latest version under {@code subject}. */
  RegisteredSchema latest(String subject);

  /** Whether {@code schema} may be registered as the next version of {@code subject}. */
  CompatibilityResult testCompatibility(String subject, Schema schema);

  /** The compatibility level of {@code subject}, or the global level when {@code subject} is null. */
  CompatibilityLevel getCompatibility(String subject);

  /** Sets the compatibility level of {@code subject}, or the global level when {@code subject} is null. */
  void setCompatibility(String subject, CompatibilityLevel level);

  @Override
  default void close() {}
}
