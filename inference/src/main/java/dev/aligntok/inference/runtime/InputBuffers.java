package dev.aligntok.inference.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reusable direct buffers for model inputs, one set per thread. ONNX Runtime reads a direct,
 * native-order buffer in place; given a heap array it would copy it into a fresh direct buffer on
 * every call, and those are only freed by a later GC, so resident memory would swing by tens of MiB
 * under load (and allocateDirect can stall in System.gc when the direct-memory limit is near).
 * A buffer is reused only after the tensor over it is closed, which {@link OnnxModel#run} guarantees.
 */
final class InputBuffers {
  private final ThreadLocal<ByteBuffer[]> buffers;

  InputBuffers(int slots) {
    this.buffers = ThreadLocal.withInitial(() -> new ByteBuffer[slots]);
  }

  /** This thread's buffer for input {@code slot}, at least {@code bytes} long, cleared and limited to {@code bytes}. */
  ByteBuffer take(int slot, int bytes) {
    ByteBuffer[] mine = buffers.get();
    if (slot >= mine.length) {
      throw new IllegalArgumentException("input slot " + slot + " of " + mine.length);
    }
    if (mine[slot] == null || mine[slot].capacity() < bytes) {
      mine[slot] = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    ByteBuffer buffer = mine[slot];
    buffer.clear().limit(bytes);
    return buffer;
  }
}
