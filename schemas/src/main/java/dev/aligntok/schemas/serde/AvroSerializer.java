package dev.aligntok.schemas.serde;

import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegisteredSchema;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serializer byte-compatible with Confluent's {@code KafkaAvroSerializer}: output is
 * {@code 0x00}, the 4-byte big-endian schema id, then the Avro binary encoding of the record.
 * Works for specific and generic records. Thread-safe.
 *
 * <p>Which schema id: with {@code auto.register.schemas} the record's schema is registered under
 * the subject; otherwise it must already be registered (looked up); with {@code use.latest.version}
 * the subject's latest schema is used and the record is converted to it by name (it must be
 * readable as that schema).
 */
public final class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
  private SchemaRegistryClient registry;
  private boolean ownsRegistry;
  private AvroSerdeConfig config;
  private boolean isKey;
  private final Map<SubjectSchema, Writer> writers = new ConcurrentHashMap<>();

  /** For Kafka's reflective construction; {@link #configure} must follow. */
  public AvroSerializer() {}

  public AvroSerializer(SchemaRegistryClient registry, AvroSerdeConfig config, boolean isKey) {
    this.registry = registry;
    this.config = config;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> props, boolean isKey) {
    this.registry = CachedSchemaRegistryClient.create(RegistryClientConfig.fromProperties(props));
    this.ownsRegistry = true;
    this.config = AvroSerdeConfig.fromProperties(props);
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer used before configure()");
    }
    Schema schema = record.getSchema();
    String subject = config.subjectNameStrategy().subject(topic, isKey, schema);
    SubjectSchema key = new SubjectSchema(subject, schema, record instanceof SpecificRecord);
    Writer writer = writers.get(key);
    if (writer == null || config.useLatestVersion()) {
      writer = resolveWriter(topic, key);
    }
    try {
      return writer.write(record);
    } catch (IOException | RuntimeException e) {
      throw new PayloadEncodeException("cannot serialize " + schema.getFullName() + " for topic " + topic
          + " (schema id " + writer.schemaId + "): " + e.getMessage(), e);
    }
  }

  private Writer resolveWriter(String topic, SubjectSchema key) {
    String subject = key.subject();
    Schema schema = key.schema();
    try {
      Writer writer;
      if (config.useLatestVersion()) {
        writer = latestVersionWriter(topic, key);
      } else if (config.autoRegisterSchemas()) {
        writer = new Writer(registry.register(subject, schema), writerFor(key), null);
      } else {
        writer = new Writer(registry.lookup(subject, schema).id(), writerFor(key), null);
      }
      writers.put(key, writer);
      return writer;
    } catch (SchemaRegistryException e) {
      String mode = config.useLatestVersion() ? "use.latest.version"
          : config.autoRegisterSchemas() ? "auto.register.schemas" : "lookup (auto.register.schemas=false)";
      throw new PayloadEncodeException("cannot get a schema id for " + schema.getFullName() + " under subject "
          + subject + " of topic " + topic + " [" + mode + "]: " + e.getMessage(), e);
    }
  }

  private Writer latestVersionWriter(String topic, SubjectSchema key) {
    String subject = key.subject();
    Schema recordSchema = key.schema();
    RegisteredSchema latest = registry.latest(subject);
    Writer cached = writers.get(key);
    if (cached != null && cached.schemaId == latest.id()) {
      return cached;
    }
    if (latest.schema().equals(recordSchema)) {
      return new Writer(latest.id(), writerFor(key), null);
    }
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), recordSchema);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new PayloadEncodeException("record schema " + recordSchema.getFullName() + " cannot be written as the latest"
          + " version " + latest.version() + " (id " + latest.id() + ") of subject " + subject + " for topic " + topic
          + ": " + compatibility.getDescription(), null);
    }
    return new Writer(latest.id(), writerFor(key), new GenericDatumWriter<>(latest.schema()))
        .convertingTo(recordSchema, latest.schema());
  }

  /** Specific records carry their own model (logical-type conversions); generic ones use plain values. */
  private static DatumWriter<Object> writerFor(SubjectSchema key) {
    return key.specific()
        ? new SpecificDatumWriter<>(key.schema(), SpecificData.getForSchema(key.schema()))
        : new GenericDatumWriter<>(key.schema());
  }

  @Override
  public void close() {
    // A registry handed in by the caller may be shared with other serdes: it is the caller's to close.
    if (ownsRegistry) {
      registry.close();
    }
  }

  private record SubjectSchema(String subject, Schema schema, boolean specific) {}

  /** Writes records of one schema under one id; converts to the registered schema when they differ. */
  private static final class Writer {
    final int schemaId;
    private final DatumWriter<Object> recordWriter;
    private final DatumWriter<Object> registeredWriter;
    private GenericDatumReader<Object> converter;
    /** Size of the last record written: records of one type tend to have similar sizes. */
    private volatile int sizeHint = 256;

    Writer(int schemaId, DatumWriter<Object> recordWriter, DatumWriter<Object> registeredWriter) {
      this.schemaId = schemaId;
      this.recordWriter = recordWriter;
      this.registeredWriter = registeredWriter;
    }

    Writer convertingTo(Schema recordSchema, Schema registeredSchema) {
      this.converter = new GenericDatumReader<>(recordSchema, registeredSchema);
      return this;
    }

    byte[] write(Object record) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
      WireFormat.writeHeader(out, schemaId);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      if (converter == null) {
        recordWriter.write(record, encoder);
      } else {
        // Resolve by field name through Avro's own schema resolution, then write as the registered schema.
        ByteArrayOutputStream plain = new ByteArrayOutputStream(256);
        BinaryEncoder plainEncoder = EncoderFactory.get().directBinaryEncoder(plain, null);
        recordWriter.write(record, plainEncoder);
        Object converted = converter.read(null, DecoderFactory.get().binaryDecoder(plain.toByteArray(), null));
        registeredWriter.write(converted, encoder);
      }
      encoder.flush();
      sizeHint = out.size() + 64;
      return out.toByteArray();
    }
  }
}
