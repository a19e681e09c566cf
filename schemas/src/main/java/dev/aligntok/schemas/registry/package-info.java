/**
 * A schema-registry client for the Confluent REST API: {@link dev.aligntok.schemas.registry.SchemaRegistryClient}
 * → REST ({@link dev.aligntok.schemas.registry.RestSchemaRegistryClient}) → cache decorator
 * ({@link dev.aligntok.schemas.registry.CachedSchemaRegistryClient}) → transport with fail-over and
 * retries, and typed errors ({@link dev.aligntok.schemas.registry.SchemaRegistryException} and subclasses).
 *
 * <p>Layering: the bottom of the schemas module; it uses no other package of it.
 */
package dev.aligntok.schemas.registry;
