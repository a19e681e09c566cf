package dev.aligntok.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;

/**
 * A datum reader that never pre-allocates a collection from an untrusted block count: a garbage
 * payload claiming a billion-element array would otherwise allocate gigabytes before failing.
 * Collections start small and grow as elements are actually read.
 *
 * <p>The model decides the record kind: {@code SpecificData.getForSchema(reader)} gives generated
 * classes (with their logical-type conversions), {@code GenericData.get()} gives generic records.
 */
final class BoundedDatumReader<T> extends GenericDatumReader<T> {
  private static final int MAX_INITIAL_CAPACITY = 1024;

  BoundedDatumReader(Schema writer, Schema reader, GenericData model) {
    super(writer, reader, model);
  }

  @Override
  protected Object newArray(Object old, int size, Schema schema) {
    return super.newArray(old, Math.min(size, MAX_INITIAL_CAPACITY), schema);
  }

  @Override
  protected Object newMap(Object old, int size) {
    return super.newMap(old, Math.min(size, MAX_INITIAL_CAPACITY));
  }
}
