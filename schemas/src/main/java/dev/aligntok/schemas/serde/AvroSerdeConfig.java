package dev.aligntok.schemas.serde;

import dev.aligntok.schemas.registry.PropertyReader;
import java.util.Map;

/**
 * Serde behaviour, read from the same property names as Confluent's Avro serde.
 *
 * @param autoRegisterSchemas serializer registers a record's schema on first use ({@code auto.register.schemas}, default true)
 * @param useLatestVersion    serializer writes with the subject's latest schema instead ({@code use.latest.version}, default false)
 * @param subjectNameStrategy subject of a topic; only {@link SubjectNameStrategy#TOPIC_NAME} is read from properties
 */
public record AvroSerdeConfig(boolean autoRegisterSchemas, boolean useLatestVersion, SubjectNameStrategy subjectNameStrategy) {
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

  public static final AvroSerdeConfig DEFAULT = new AvroSerdeConfig(true, false, SubjectNameStrategy.TOPIC_NAME);

  public AvroSerdeConfig {
    if (autoRegisterSchemas && useLatestVersion) {
      throw new IllegalArgumentException(AUTO_REGISTER_SCHEMAS + " and " + USE_LATEST_VERSION
          + " cannot both be true: set auto.register.schemas=false to write with the latest registered version");
    }
  }

  public static AvroSerdeConfig fromProperties(Map<String, ?> props) {
    PropertyReader in = new PropertyReader(props);
    boolean useLatest = in.booleanValue(USE_LATEST_VERSION, false);
    // Confluent's default is auto-register; asking for the latest version implies not registering.
    boolean autoRegister = in.booleanValue(AUTO_REGISTER_SCHEMAS, !useLatest);
    for (String key : new String[] {VALUE_SUBJECT_NAME_STRATEGY, KEY_SUBJECT_NAME_STRATEGY}) {
      in.optional(key).filter(name -> !name.endsWith("TopicNameStrategy")).ifPresent(name -> {
        throw new IllegalArgumentException(key + "=" + name + " is not supported; only TopicNameStrategy is");
      });
    }
    return new AvroSerdeConfig(autoRegister, useLatest, SubjectNameStrategy.TOPIC_NAME);
  }
}
