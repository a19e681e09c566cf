package dev.aligntok.tests.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
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
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DecoderFactory;
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

  /**
   * Release v3 made GeneratedImage.classId nullable and added prompt. The registry takes it under
   * BACKWARD; a v3 consumer reads what v2 producers wrote (including the -1 of free text before v3);
   * a v2 consumer still reads v3 class images but not free-text ones (null classId), which is why
   * consumers are upgraded before producers.
   */
  @Test
  void generatedImageV3ReadsV2RecordsAndV2ReadersReadV3ClassImages() throws Exception {
    String topic = RealStack.uniqueName("generated-v3");
    Schema v2 = EvolvedSchemas.released("v2", "GeneratedImage");
    Schema v3 = GeneratedImage.getClassSchema();
    registry.register(topic + "-value", v2);
    assertTrue(registry.testCompatibility(topic + "-value", v3).compatible());

    AvroSerializer<IndexedRecord> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.DEFAULT, false);
    AvroDeserializer<GeneratedImage> v3Reader = AvroDeserializer.specific(GeneratedImage.class, registry);
    GenericRecord oldFreeText = new GenericRecordBuilder(v2).set("requestId", "old-1").set("index", 0)
        .set("width", 64).set("height", 64).set("seed", 5L).set("classId", -1).set("bundleId", "sha256:abc").build();
    GeneratedImage read = v3Reader.deserialize(topic, serializer.serialize(topic, oldFreeText));
    assertEquals(-1, read.getClassId(), "a pre-v3 free-text image keeps its -1");
    assertNull(read.getClassName());
    assertNull(read.getPrompt(), "v2 had no prompt field: the default");

    GeneratedImage classImage = SampleEvents.generated();
    byte[] classBytes = serializer.serialize(topic, classImage);
    assertEquals(classImage, v3Reader.deserialize(topic, classBytes));
    GenericRecord asV2 = readAs(v2, classBytes);
    assertEquals(3, asV2.get("classId"));
    assertEquals("cat face", asV2.get("className").toString());

    GeneratedImage freeText = SampleEvents.freeTextGenerated();
    byte[] freeTextBytes = serializer.serialize(topic, freeText);
    assertEquals(freeText, v3Reader.deserialize(topic, freeTextBytes));
    AvroTypeException refused = assertThrows(AvroTypeException.class, () -> readAs(v2, freeTextBytes));
    assertTrue(refused.getMessage().contains("null"), refused.getMessage());
  }

  @Test
  void v4WebhookFieldsReadBothWaysAndV3ReadersSeeTheWebhookStageAsUnknown() throws Exception {
    AvroSerializer<IndexedRecord> serializer = new AvroSerializer<>(registry, AvroSerdeConfig.DEFAULT, false);
    String requests = RealStack.uniqueName("prompts-v4");
    Schema v3Request = EvolvedSchemas.released("v3", "GenerationRequest");
    registry.register(requests + "-value", v3Request);
    assertTrue(registry.testCompatibility(requests + "-value", GenerationRequest.getClassSchema()).compatible());
    AvroDeserializer<GenerationRequest> v4Reader = AvroDeserializer.specific(GenerationRequest.class, registry);
    GenericRecord old = new GenericRecordBuilder(v3Request).set("id", "old-1").set("prompt", "cat").build();
    GenerationRequest read = v4Reader.deserialize(requests, serializer.serialize(requests, old));
    assertNull(read.getWebhook(), "v3 had no webhook: the default");
    assertNull(read.getWebhookEvents());
    GenerationRequest withHook = GenerationRequest.newBuilder().setId("new-1").setPrompt("cat")
        .setWebhook("https://hooks.example.com/x").setWebhookEvents(java.util.List.of("SUCCEEDED")).build();
    byte[] bytes = serializer.serialize(requests, withHook);
    assertEquals(withHook, v4Reader.deserialize(requests, bytes));
    assertEquals("new-1", readAs(v3Request, bytes).get("id").toString(), "a v3 reader skips the webhook fields");

    String letters = RealStack.uniqueName("dlq-v4");
    Schema v3Letter = EvolvedSchemas.released("v3", "DeadLetter");
    registry.register(letters + "-value", v3Letter);
    DeadLetter letter = DeadLetter.newBuilder().setSourceTopic("aligntok.status").setSourcePartition(0).setSourceOffset(7)
        .setStage(FailureStage.WEBHOOK).setErrorClass("WebhookFailed").setErrorMessage("503 on every attempt")
        .setFailedAtMs(java.time.Instant.ofEpochMilli(1)).build();
    GenericRecord asV3 = readAs(v3Letter, serializer.serialize(letters, letter));
    assertEquals("UNKNOWN", asV3.get("stage").toString(), "an older reader sees a stage added later as UNKNOWN");
  }

  /** Decodes Confluent-framed bytes with the writer schema the registry has for their id and {@code reader}. */
  private static GenericRecord readAs(Schema reader, byte[] framed) throws IOException {
    Schema writer = registry.getById(ByteBuffer.wrap(framed, 1, 4).getInt());
    return new GenericDatumReader<GenericRecord>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(framed, 5, framed.length - 5, null));
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
