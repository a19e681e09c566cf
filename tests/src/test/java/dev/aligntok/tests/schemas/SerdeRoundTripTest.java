package dev.aligntok.tests.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.aligntok.events.LatentEvent;
import dev.aligntok.schemas.EventTopic;
import dev.aligntok.schemas.EventTopics;
import dev.aligntok.schemas.registry.CachedSchemaRegistryClient;
import dev.aligntok.schemas.registry.RegistryClientConfig;
import dev.aligntok.schemas.registry.SchemaRegistryClient;
import dev.aligntok.schemas.serde.AvroDeserializer;
import dev.aligntok.schemas.serde.AvroSerdeConfig;
import dev.aligntok.schemas.serde.AvroSerializer;
import dev.aligntok.tests.harness.RealStack;
import dev.aligntok.tests.harness.WithRealStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every event type goes through the real registry and (for one topic) the real broker with our serde. */
@WithRealStack
class SerdeRoundTripTest {
  private static RealStack stack;
  private static SchemaRegistryClient registry;

  @BeforeAll
  static void connect(RealStack realStack) {
    stack = realStack;
    registry = CachedSchemaRegistryClient.create(RegistryClientConfig.of(stack.registryUrl()));
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  @TestFactory
  List<DynamicTest> everyEventRoundTripsAsSpecificAndGeneric() {
    List<DynamicTest> tests = new ArrayList<>();
    for (EventTopic<?> topic : EventTopics.ALL) {
      tests.add(DynamicTest.dynamicTest(topic.valueSchema().getName(), () -> roundTrip(topic)));
    }
    return tests;
  }

  private static <T extends SpecificRecord> void roundTrip(EventTopic<T> topic) {
    String topicName = RealStack.uniqueName(topic.defaultName());
    T sample = topic.valueType().cast(SampleEvents.of(topic));
    Serde<T> serde = topic.valueSerde(registry, AvroSerdeConfig.DEFAULT);

    byte[] bytes = serde.serializer().serialize(topicName, sample);
    assertEquals(sample, serde.deserializer().deserialize(topicName, bytes), "specific round trip");

    Object generic = AvroDeserializer.generic(registry).deserialize(topicName, bytes);
    GenericRecord record = assertInstanceOf(GenericRecord.class, generic);
    assertEquals(sample.getSchema(), record.getSchema());
    for (int i = 0; i < sample.getSchema().getFields().size(); i++) {
      assertEquals(plain(sample.get(i)), plain(record.get(i)), "field " + sample.getSchema().getFields().get(i).name());
    }
    assertEquals(registry.lookup(topic.valueSubject(topicName), sample.getSchema()).id(),
        java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt(), "header carries the registered id");
  }

  /**
   * The same value in one representation: generic records hold Utf8 strings, enum symbols and epoch
   * millis where specific ones hold String, Java enums and Instant.
   */
  private static Object plain(Object value) {
    if (value instanceof java.time.Instant instant) {
      return instant.toEpochMilli();
    } else if (value instanceof CharSequence || value instanceof Enum<?> || value instanceof org.apache.avro.generic.GenericEnumSymbol<?>) {
      return value.toString();
    } else if (value instanceof Map<?, ?> map) {
      Map<String, Object> sorted = new java.util.TreeMap<>();
      map.forEach((k, v) -> sorted.put(k.toString(), plain(v)));
      return sorted;
    } else if (value instanceof List<?> list) {
      return list.stream().map(SerdeRoundTripTest::plain).toList();
    } else if (value instanceof org.apache.avro.generic.IndexedRecord record) {
      List<Object> fields = new ArrayList<>();
      for (int i = 0; i < record.getSchema().getFields().size(); i++) {
        fields.add(plain(record.get(i)));
      }
      return fields;
    }
    return value;
  }

  @Test
  void latentEventsCrossTheBrokerWithSerdesConfiguredFromProperties() {
    String topic = RealStack.uniqueName("aligntok.latents");
    stack.createTopics(topic);
    Map<String, Object> producerProps = stack.producerProps();
    producerProps.put(RegistryClientConfig.URL, stack.registryUrl());
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroSerializer.class);
    List<LatentEvent> sent = new ArrayList<>();
    try (KafkaProducer<String, LatentEvent> producer = new KafkaProducer<>(producerProps)) {
      for (int i = 0; i < 5; i++) {
        LatentEvent event = SampleEvents.latentEvent(32, 16, 16);
        event.setId("img-" + i);
        sent.add(event);
        producer.send(new ProducerRecord<>(topic, event.getId(), event));
      }
      producer.flush();
    }

    Map<String, Object> consumerProps = stack.consumerProps(RealStack.uniqueName("latents"));
    consumerProps.put(RegistryClientConfig.URL, stack.registryUrl());
    consumerProps.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, "true");
    List<LatentEvent> received = new ArrayList<>();
    try (KafkaConsumer<String, LatentEvent> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(),
        configured(consumerProps))) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < sent.size() && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, LatentEvent> record : consumer.poll(Duration.ofMillis(200))) {
          received.add(record.value());
        }
      }
    }
    assertEquals(sent, received);
  }

  private static AvroDeserializer<LatentEvent> configured(Map<String, Object> props) {
    AvroDeserializer<LatentEvent> deserializer = new AvroDeserializer<>();
    deserializer.configure(props, false);
    return deserializer;
  }
}
