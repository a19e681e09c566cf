package dev.aligntok.tests.schemas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/** Variants of a released schema, as a later release might make them. */
final class EvolvedSchemas {
  private EvolvedSchemas() {}

  /** The released copy of {@code name} in {@code release} (schemas/src/test/resources/released/vN). */
  static Schema released(String release, String name) throws IOException {
    Path file = Path.of(System.getProperty("aligntok.repo.root", "..")).resolve("schemas/src/test/resources/released")
        .resolve(release).resolve(name + ".avsc");
    return new Schema.Parser().parse(Files.readString(file));
  }

  /** {@code base} plus an optional string field defaulting to null: a BACKWARD-compatible change. */
  static Schema withOptionalField(Schema base, String name) {
    return withField(base, new Schema.Field(name, SchemaBuilder.unionOf().nullType().and().stringType().endUnion(),
        "added in a later version", Schema.Field.NULL_DEFAULT_VALUE));
  }

  /** {@code base} plus a required int field without default: old data cannot be read, so not BACKWARD compatible. */
  static Schema withRequiredField(Schema base, String name) {
    return withField(base, new Schema.Field(name, SchemaBuilder.builder().intType(), "required, no default"));
  }

  private static Schema withField(Schema base, Schema.Field extra) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : base.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(extra);
    Schema evolved = Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    base.getObjectProps().forEach(evolved::addProp);
    return evolved;
  }
}
