package dev.aligntok.tests.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.CompatibilityLevel;
import dev.aligntok.schemas.registry.IncompatibleSchemaException;
import dev.aligntok.schemas.registry.RegisteredSchema;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaNotFoundException;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.registry.SubjectNotFoundException;
import dev.aligntok.schemas.serde.AvroDeserializer;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.schemas.serde.AvroSerializer;
import dev.aligntok.schemas.serde.PayloadEncodeException;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Schema evolution against the real registry under its BACKWARD rule, and the registry's typed errors. */
@WithRealStack
class RegistryEvolutionTest {
  private static SchemaRegistryClient registry;

  @BeforeAll
  static void connect(RealStack stack) {
    registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()));
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  @Test
  void registryRunsWithBackwardCompatibility() {
    assertEquals(CompatibilityLevel.BACKWARD, registry.getCompatibility(null));
  }

  @Test
  void compatibleEvolutionRegistersAndOldReadersStillRead() {
    String topic = RealStack.uniqueName("evolve");
    String subject = topic + "-value";
    Schema v1 = ImageEvent.getClassSchema();
    Schema v2 = EvolvedSchemas.withOptionalField(v1, "caption");
    int id1 = registry.register(subject, v1);
    assertTrue(registry.testCompatibility(subject, v2).compatible());
    int id2 = registry.register(subject, v2);
    assertNotEquals(id1, id2);
    RegisteredSchema latest = registry.latest(subject);
    assertEquals(2, latest.version());
    assertEquals(id2, latest.id());

    // A producer already on v2 writes a generic record; a consumer still on the v1 class reads it.
    GenericRecord newer = new GenericData.Record(v2);
    newer.put("id", "img-7");
    newer.put("uri", "file:///data/7.png");
    newer.put("metadata", java.util.Map.of());
    newer.put("caption", "a cat");
    byte[] bytes = new AvroSerializer<IndexedRecord>(registry, AvroSerdeConfig.DEFAULT, false).serialize(topic, newer);
    assertEquals(id2, ByteBuffer.wrap(bytes, 1, 4).getInt());

    ImageEvent old = AvroDeserializer.specific(ImageEvent.class, registry).deserialize(topic, bytes);
    assertEquals("img-7", old.getId());
    assertEquals("file:///data/7.png", old.getUri());
    assertNull(old.getData());
  }

  @Test
  void incompatibleChangeIsRefusedWithAClearMessage() {
    String topic = RealStack.uniqueName("refuse");
    String subject = topic + "-value";
    Schema v1 = ImageEvent.getClassSchema();
    registry.register(subject, v1);
    Schema broken = EvolvedSchemas.withRequiredField(v1, "width");

    assertFalse(registry.testCompatibility(subject, broken).compatible());
    IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class,
        () -> registry.register(subject, broken));
    assertEquals(409, refused.httpStatus());
    assertTrue(refused.getMessage().contains(subject), refused.getMessage());

    GenericRecord record = new GenericData.Record(broken);
    record.put("id", "x");
    record.put("metadata", java.util.Map.of());
    record.put("width", 3);
    PayloadEncodeException serializeError = assertThrows(PayloadEncodeException.class,
        () -> new AvroSerializer<IndexedRecord>(registry, AvroSerdeConfig.DEFAULT, false).serialize(topic, record));
    assertInstanceOf(IncompatibleSchemaException.class, serializeError.getCause());
    assertTrue(serializeError.getMessage().contains("topic " + topic), serializeError.getMessage());
  }

  @Test
  void perSubjectCompatibilityIsEnforced() {
    // Dropping a field that has no default is BACKWARD compatible but not FULL: old readers need it.
    Schema v1 = EvolvedSchemas.withRequiredField(ImageEvent.getClassSchema(), "width");
    Schema v2 = ImageEvent.getClassSchema();
    String strict = RealStack.uniqueName("strict") + "-value";
    registry.register(strict, v1);
    registry.setCompatibility(strict, CompatibilityLevel.FULL);
    assertEquals(CompatibilityLevel.FULL, registry.getCompatibility(strict));
    assertThrows(IncompatibleSchemaException.class, () -> registry.register(strict, v2));

    String lenient = RealStack.uniqueName("lenient") + "-value";
    registry.register(lenient, v1);
    registry.register(lenient, v2);
    assertEquals(2, registry.latest(lenient).version());
  }

  @Test
  void withoutAutoRegisterAnUnregisteredSchemaIsAClearError() {
    String topic = RealStack.uniqueName("unregistered");
    AvroSerializer<ImageEvent> serializer =
        new AvroSerializer<>(registry, new AvroSerdeConfig(false, false, AvroSerdeConfig.DEFAULT.subjectNameStrategy()), false);
    PayloadEncodeException e = assertThrows(PayloadEncodeException.class,
        () -> serializer.serialize(topic, SampleEvents.image()));
    assertTrue(e.getCause() instanceof SubjectNotFoundException || e.getCause() instanceof SchemaNotFoundException,
        "cause: " + e.getCause());
    assertTrue(e.getMessage().contains("auto.register.schemas=false"), e.getMessage());

    registry.register(topic + "-value", ImageEvent.getClassSchema());
    byte[] bytes = serializer.serialize(topic, SampleEvents.image());
    assertEquals(SampleEvents.image(), AvroDeserializer.specific(ImageEvent.class, registry).deserialize(topic, bytes));
  }

  @Test
  void useLatestVersionWritesWithTheLatestSchemaId() {
    String topic = RealStack.uniqueName("latest");
    String subject = topic + "-value";
    registry.register(subject, ImageEvent.getClassSchema());
    Schema v2 = EvolvedSchemas.withOptionalField(ImageEvent.getClassSchema(), "caption");
    int id2 = registry.register(subject, v2);

    AvroSerializer<ImageEvent> serializer =
        new AvroSerializer<>(registry, new AvroSerdeConfig(false, true, AvroSerdeConfig.DEFAULT.subjectNameStrategy()), false);
    byte[] bytes = serializer.serialize(topic, SampleEvents.image());
    assertEquals(id2, ByteBuffer.wrap(bytes, 1, 4).getInt());

    GenericRecord asV2 = (GenericRecord) AvroDeserializer.generic(registry).deserialize(topic, bytes);
    assertEquals(v2, asV2.getSchema());
    assertNull(asV2.get("caption"));
    assertEquals("img-1", asV2.get("id").toString());
    assertEquals(SampleEvents.image(), AvroDeserializer.specific(ImageEvent.class, registry).deserialize(topic, bytes));
  }

  @Test
  void registryErrorsAreTyped() {
    assertThrows(SchemaNotFoundException.class, () -> registry.getById(987_654_321));
    assertThrows(SubjectNotFoundException.class, () -> registry.latest(RealStack.uniqueName("none") + "-value"));
    String subject = RealStack.uniqueName("lookup") + "-value";
    registry.register(subject, ImageEvent.getClassSchema());
    assertThrows(SchemaNotFoundException.class,
        () -> registry.lookup(subject, EvolvedSchemas.withOptionalField(ImageEvent.getClassSchema(), "other")));
  }
}
