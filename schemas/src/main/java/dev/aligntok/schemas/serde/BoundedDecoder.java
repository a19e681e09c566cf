package dev.aligntok.schemas.serde;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over an untrusted byte array that checks every declared string or bytes
 * length against the bytes actually left before allocating. Avro's own decoder allocates first,
 * so a 10-byte garbage payload claiming a 1 GiB string costs a gigabyte before it fails.
 */
final class BoundedDecoder extends Decoder {
  private final ByteArrayInputStream input;
  private final Decoder plain;

  BoundedDecoder(byte[] data, int offset, int length) {
    this.input = new ByteArrayInputStream(data, offset, length);
    // The direct decoder reads the stream without buffering, so input.available() is exact.
    this.plain = DecoderFactory.get().directBinaryDecoder(input, null);
  }

  /** Whether every byte has been consumed. */
  boolean isEnd() {
    return input.available() == 0;
  }

  int remaining() {
    return input.available();
  }

  private int checkedLength() throws IOException {
    long length = plain.readLong();
    if (length < 0) {
      throw new IOException("negative length " + length);
    }
    if (length > input.available()) {
      throw new EOFException("declared length " + length + " exceeds the " + input.available() + " bytes left");
    }
    return (int) length;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkedLength();
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    plain.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    return readString(null).toString();
  }

  @Override
  public void skipString() throws IOException {
    plain.skipFixed(checkedLength());
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checkedLength();
    byte[] bytes = new byte[length];
    plain.readFixed(bytes, 0, length);
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public void skipBytes() throws IOException {
    plain.skipFixed(checkedLength());
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    if (length > input.available()) {
      throw new EOFException("fixed of " + length + " bytes exceeds the " + input.available() + " bytes left");
    }
    plain.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    plain.skipFixed(length);
  }

  @Override
  public void readNull() throws IOException {
    plain.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return plain.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return plain.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return plain.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return plain.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return plain.readDouble();
  }

  @Override
  public int readEnum() throws IOException {
    return plain.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return plain.readArrayStart();
  }

  @Override
  public long arrayNext() throws IOException {
    return plain.arrayNext();
  }

  @Override
  public long skipArray() throws IOException {
    return plain.skipArray();
  }

  @Override
  public long readMapStart() throws IOException {
    return plain.readMapStart();
  }

  @Override
  public long mapNext() throws IOException {
    return plain.mapNext();
  }

  @Override
  public long skipMap() throws IOException {
    return plain.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return plain.readIndex();
  }
}
