package dev.aligntok.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.specific.SpecificData;

/**
 * A datum reader that never pre-allocates a collection from an untrusted block count: a garbage
 * payload claiming a billion-element array would otherwise allocate gigabytes before failing.
 * Collections start small and grow as elements are actually read.
 *
 */
final class BoundedDatumReader<T> extends GenericDatumReader<T> {
  private static final int MAX_INITIAL_CAPACITY = 1024;

  private BoundedDatumReader(Schema writer, Schema reader, GenericData model) {
    super(writer, reader, model);
  }

  /** Reads into the generated class of {@code reader}, with its logical-type conversions. */
  static <T> BoundedDatumReader<T> specific(Schema writer, Schema reader) {
    SpecificData generated = SpecificData.getForSchema(reader);
    SpecificData model = new SpecificData(generated.getClassLoader());
    generated.getConversions().forEach(model::addLogicalTypeConversion);
    return new BoundedDatumReader<>(writer, reader, withoutFastReader(model));
  }

  /** Reads generic records (plain values, no logical-type conversions). */
  static <T> BoundedDatumReader<T> generic(Schema writer, Schema reader) {
    return new BoundedDatumReader<>(writer, reader, withoutFastReader(new GenericData()));
  }

  /**
   * Avro's fast reader pre-sizes arrays from the untrusted count without calling {@link #newArray},
   * so it is switched off on a private model (the shared ones are left alone).
   */
  private static GenericData withoutFastReader(GenericData model) {
    model.setFastReaderEnabled(false);
    return model;
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
