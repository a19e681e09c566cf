package dev.aligntok.schemas.serde;

import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.PropertyReader;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaNotFoundException;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro ({@code 0x00}, schema id, Avro binary) into specific or generic
 * records, fetching writer schemas from the registry by id (cached). Every bad payload raises a
 * {@link PayloadDecodeException} naming the topic and what was wrong; nothing is skipped.
 * A null payload (a tombstone) reads as null. Thread-safe.
 *
 * <p>Reader schema: the given specific class's schema; or, with {@code specific.avro.reader=true},
 * the generated class named like the writer schema; otherwise the writer schema (generic records).
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
  private SchemaRegistryClient registry;
  private boolean ownsRegistry;
  private Class<? extends SpecificRecord> targetType;
  private boolean specificByWriterName;
  private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();
  /**
   * Why a writer schema cannot be read as the reader schema, per schema id: checking compatibility
   * costs far more than a record, so a stream of records under such an id must not repeat it.
   */
  private final Map<Integer, String> incompatibleBySchemaId = new ConcurrentHashMap<>();

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public AvroDeserializer() {}

  /** Reads generic records (reader schema = writer schema). */
  public static AvroDeserializer<Object> generic(SchemaRegistryClient registry) {
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
    deserializer.registry = registry;
    return deserializer;
  }

  /** Reads records of one generated class; writer schemas must be readable as it (schema resolution). */
  public static <R extends SpecificRecord> AvroDeserializer<R> specific(Class<R> type, SchemaRegistryClient registry) {
    AvroDeserializer<R> deserializer = new AvroDeserializer<>();
    deserializer.registry = registry;
    deserializer.targetType = type;
    return deserializer;
  }

  @Override
  public void configure(Map<String, ?> props, boolean isKey) {
    this.registry = CachedSchemaRegistryClient.create(RegistryClientConfig.fromProperties(props));
    this.ownsRegistry = true;
    this.specificByWriterName = new PropertyReader(props).booleanValue(AvroSerdeConfig.SPECIFIC_AVRO_READER, false);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return deserialize(RecordSource.topic(topic), data);
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    return deserialize(RecordSource.topic(topic), data);
  }

  /** Like {@link #deserialize(String, byte[])} for callers that know the partition and offset. */
  public T deserialize(RecordSource source, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer used before configure()");
    }
    int schemaId = WireFormat.readSchemaId(data, source);
    DatumReader<T> reader = readerFor(schemaId, source);
    BoundedDecoder decoder = new BoundedDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE);
    T record;
    try {
      record = reader.read(null, decoder);
    } catch (EOFException e) {
      throw malformed(PayloadDecodeException.Reason.TRUNCATED, source, schemaId,
          "the Avro body ended early (" + (data.length - WireFormat.HEADER_SIZE) + " bytes after the header)", e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException
             | NegativeArraySizeException | ClassCastException | UnsupportedOperationException e) {
      throw malformed(PayloadDecodeException.Reason.MALFORMED_PAYLOAD, source, schemaId,
          "the body is not valid Avro for the writer schema: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    if (!decoder.isEnd()) {
      throw malformed(PayloadDecodeException.Reason.MALFORMED_PAYLOAD, source, schemaId, decoder.remaining()
          + " bytes left over after the record: the payload is longer than the writer schema allows", null);
    }
    return record;
  }

  private DatumReader<T> readerFor(int schemaId, RecordSource source) {
    DatumReader<T> reader = readersBySchemaId.get(schemaId);
    if (reader != null) {
      return reader;
    }
    String incompatible = incompatibleBySchemaId.get(schemaId);
    if (incompatible != null) {
      throw new PayloadDecodeException(PayloadDecodeException.Reason.INCOMPATIBLE_SCHEMA, source, schemaId,
          incompatible, null);
    }
    Schema writer = writerSchema(schemaId, source);
    Schema readerSchema = readerSchema(writer, schemaId, source);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      PayloadDecodeException refused = new PayloadDecodeException(PayloadDecodeException.Reason.INCOMPATIBLE_SCHEMA,
          source, schemaId, "writer schema " + writer.getFullName() + " cannot be read as " + readerSchema.getFullName()
              + ": " + compatibility.getDescription(), null);
      // Schema ids are immutable in a registry, so the verdict holds for every later record.
      incompatibleBySchemaId.put(schemaId, refused.detail());
      throw refused;
    }
    boolean specific = targetType != null || specificByWriterName;
    reader = specific ? BoundedDatumReader.specific(writer, readerSchema) : BoundedDatumReader.generic(writer, readerSchema);
    readersBySchemaId.put(schemaId, reader);
    return reader;
  }

  private Schema writerSchema(int schemaId, RecordSource source) {
    try {
      return registry.getById(schemaId);
    } catch (SchemaNotFoundException e) {
      throw new PayloadDecodeException(PayloadDecodeException.Reason.UNKNOWN_SCHEMA_ID, source, schemaId,
          "the registry has no schema with id " + schemaId + " (was the payload written against another registry?)", e);
    } catch (SchemaRegistryException e) {
      PayloadDecodeException.Reason reason = e.isRetriable() || e.httpStatus() == 401 || e.httpStatus() == 403
          ? PayloadDecodeException.Reason.REGISTRY_UNAVAILABLE
          : PayloadDecodeException.Reason.UNKNOWN_SCHEMA_ID;
      throw new PayloadDecodeException(reason, source, schemaId, "cannot fetch the writer schema: " + e.getMessage(), e);
    }
  }

  private Schema readerSchema(Schema writer, int schemaId, RecordSource source) {
    if (targetType != null) {
      return SpecificData.get().getSchema(targetType);
    }
    if (specificByWriterName) {
      Class<?> generated = SpecificData.get().getClass(writer);
      if (generated == null) {
        throw new PayloadDecodeException(PayloadDecodeException.Reason.INCOMPATIBLE_SCHEMA, source, schemaId,
            "specific.avro.reader=true but no generated class " + writer.getFullName() + " is on the classpath", null);
      }
      return SpecificData.get().getSchema(generated);
    }
    return writer;
  }

  private static PayloadDecodeException malformed(PayloadDecodeException.Reason reason, RecordSource source,
                                                  int schemaId, String detail, Throwable cause) {
    return new PayloadDecodeException(reason, source, schemaId, detail, cause);
  }

  @Override
  public void close() {
    // A registry handed in by the caller may be shared with other serdes: it is the caller's to close.
    if (ownsRegistry) {
      registry.close();
    }
  }
}
