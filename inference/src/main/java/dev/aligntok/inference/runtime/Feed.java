package dev.aligntok.inference.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;

/** One named model input, held as a Java array until {@link OnnxModel#run} turns it into a native tensor. */
public final class Feed {
  private final String name;
  private final float[] floats;
  private final long[] longs;
  private final long[] shape;

  private Feed(String name, float[] floats, long[] longs, long[] shape) {
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    int length = floats != null ? floats.length : longs.length;
    if (count != length) {
      throw new IllegalArgumentException("input '" + name + "': shape " + Arrays.toString(shape) + " holds " + count
          + " values but " + length + " were given");
    }
    this.name = name;
    this.floats = floats;
    this.longs = longs;
    this.shape = shape.clone();
  }

  public static Feed floats(String name, float[] data, long... shape) {
    return new Feed(name, data, null, shape);
  }

  public static Feed longs(String name, long[] data, long... shape) {
    return new Feed(name, null, data, shape);
  }

  public String name() {
    return name;
  }

  /**
   * A new native tensor over {@code buffer} (direct, native order, which the data is copied into);
   * the caller closes the tensor before reusing the buffer.
   */
  OnnxTensor toTensor(OrtEnvironment env, InputBuffers buffers, int slot) throws OrtException {
    if (floats != null) {
      FloatBuffer data = buffers.take(slot, Float.BYTES * floats.length).asFloatBuffer().put(floats).flip();
      return OnnxTensor.createTensor(env, data, shape);
    }
    LongBuffer data = buffers.take(slot, Long.BYTES * longs.length).asLongBuffer().put(longs).flip();
    return OnnxTensor.createTensor(env, data, shape);
  }
}
