package dev.aligntok.schemas.serde;

import org.apache.avro.Schema;

/** Chooses the registry subject of a topic's keys or values. */
@FunctionalInterface
public interface SubjectNameStrategy {
  String subject(String topic, boolean isKey, Schema schema);

  /** Confluent's default: {@code <topic>-key} / {@code <topic>-value}. */
  SubjectNameStrategy TOPIC_NAME = (topic, isKey, schema) -> topic + (isKey ? "-key" : "-value");
}
