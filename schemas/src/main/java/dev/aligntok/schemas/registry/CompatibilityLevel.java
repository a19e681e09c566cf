package dev.aligntok.schemas.registry;

/** Compatibility rules of the Confluent Schema Registry API. */
public enum CompatibilityLevel {
  NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
}
