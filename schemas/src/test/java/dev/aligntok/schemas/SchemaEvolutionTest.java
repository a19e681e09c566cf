package dev.aligntok.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps the event contracts evolvable: each current schema must read data written with every
 * released version (BACKWARD, checked by Avro's own checker). Released copies live in
 * src/test/resources/released/vN/; when a change ships, add a new vN with the new schemas.
 */
class SchemaEvolutionTest {
  /** Every released version directory; append when releasing. */
  private static final List<String> RELEASES = List.of("v1", "v2", "v3", "v4", "v5");

  @TestFactory
  List<DynamicTest> currentSchemasReadEveryReleasedVersion() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String release : RELEASES) {
      for (EventTopic<?> topic : EventTopics.ALL) {
        Schema current = topic.valueSchema();
        tests.add(DynamicTest.dynamicTest(current.getName() + " reads " + release, () -> {
          Schema released = released(release, current.getName());
          SchemaCompatibility.SchemaPairCompatibility result =
              SchemaCompatibility.checkReaderWriterCompatibility(current, released);
          assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
              current.getName() + " is not BACKWARD compatible with released " + release + ": " + result.getDescription());
        }));
      }
    }
    return tests;
  }

  @Test
  void checkerRefusesARequiredFieldWithoutDefault() throws IOException {
    Schema released = released("v1", "ImageEvent");
    Schema broken = withExtraField(released, SchemaBuilder.builder().intType(), null);
    SchemaCompatibility.SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(broken, released);
    assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
  }

  @Test
  void checkerAcceptsAnOptionalFieldWithDefault() throws IOException {
    Schema released = released("v1", "ImageEvent");
    Schema evolved = withExtraField(released, SchemaBuilder.unionOf().nullType().and().stringType().endUnion(), Schema.Field.NULL_DEFAULT_VALUE);
    assertEquals(SchemaCompatibilityType.COMPATIBLE,
        SchemaCompatibility.checkReaderWriterCompatibility(evolved, released).getType());
  }

  @Test
  void everyFieldAndNamedTypeIsDocumented() {
    List<String> missing = new ArrayList<>();
    for (EventTopic<?> topic : EventTopics.ALL) {
      collectUndocumented(topic.valueSchema(), missing, new ArrayList<>());
    }
    assertTrue(missing.isEmpty(), "missing doc: " + missing);
  }

  @Test
  void everyEnumHasADefaultForSymbolsAddedLater() {
    for (EventTopic<?> topic : EventTopics.ALL) {
      for (Schema named : namedTypes(topic.valueSchema(), new ArrayList<>())) {
        if (named.getType() == Schema.Type.ENUM) {
          assertEquals("UNKNOWN", named.getEnumDefault(), named.getFullName() + " needs default UNKNOWN");
        }
      }
    }
  }

  @Test
  void everyEventHasAReleasedCopy() {
    for (EventTopic<?> topic : EventTopics.ALL) {
      String path = "/released/" + RELEASES.get(RELEASES.size() - 1) + "/" + topic.valueSchema().getName() + ".avsc";
      assertFalse(SchemaEvolutionTest.class.getResource(path) == null, "no released copy at " + path);
    }
  }

  private static Schema released(String release, String name) throws IOException {
    String path = "/released/" + release + "/" + name + ".avsc";
    try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(path)) {
      if (in == null) {
        fail("no released schema at " + path + ": copy the schema there when it ships");
      }
      return new Schema.Parser().parse(in);
    }
  }

  private static Schema withExtraField(Schema base, Schema type, Object defaultValue) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : base.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(new Schema.Field("addedLater", type, "test field", defaultValue));
    return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
  }

  private static void collectUndocumented(Schema schema, List<String> missing, List<String> seen) {
    for (Schema named : namedTypes(schema, seen)) {
      if (named.getDoc() == null || named.getDoc().isBlank()) {
        missing.add(named.getFullName());
      }
      if (named.getType() == Schema.Type.RECORD) {
        for (Schema.Field field : named.getFields()) {
          if (field.doc() == null || field.doc().isBlank()) {
            missing.add(named.getFullName() + "." + field.name());
          }
        }
      }
    }
  }

  /** All records, enums and fixed types reachable from {@code schema}. */
  private static List<Schema> namedTypes(Schema schema, List<String> seen) {
    List<Schema> found = new ArrayList<>();
    walk(schema, seen, found);
    return found;
  }

  private static void walk(Schema schema, List<String> seen, List<Schema> found) {
    switch (schema.getType()) {
      case RECORD:
        if (seen.contains(schema.getFullName())) {
          return;
        }
        seen.add(schema.getFullName());
        found.add(schema);
        schema.getFields().forEach(f -> walk(f.schema(), seen, found));
        break;
      case ENUM:
      case FIXED:
        if (!seen.contains(schema.getFullName())) {
          seen.add(schema.getFullName());
          found.add(schema);
        }
        break;
      case UNION:
        schema.getTypes().forEach(t -> walk(t, seen, found));
        break;
      case ARRAY:
        walk(schema.getElementType(), seen, found);
        break;
      case MAP:
        walk(schema.getValueType(), seen, found);
        break;
      default:
        break;
    }
  }
}
