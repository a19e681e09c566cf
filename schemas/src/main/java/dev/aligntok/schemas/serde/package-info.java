/**
 * Confluent-wire Avro serdes for Kafka (magic byte, 4-byte schema id, Avro binary):
 * {@link dev.aligntok.schemas.serde.AvroSerializer}, {@link dev.aligntok.schemas.serde.AvroDeserializer}
 * with bounded decoding, their typed errors ({@link dev.aligntok.schemas.serde.PayloadDecodeException},
 * {@link dev.aligntok.schemas.serde.PayloadEncodeException}), and
 * {@link dev.aligntok.schemas.serde.RegistryOutage}, which tells a registry outage (wait and retry)
 * from a bad record (dead-letter it).
 *
 * <p>Layering: may use {@code registry}; never the root package, which pairs topics with these serdes.
 */
package dev.aligntok.schemas.serde;
