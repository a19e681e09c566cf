package dev.aligntok.stream.output;

import dev.aligntok.events.Latent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.stream.model.LatentTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A model's latent and its wire form: row-major little-endian float32 (dtype F32) or binary16
 * (F16, rounded to nearest even by {@link Float16}). Readers get float32 values either way.
 */
public final class LatentCodec {
  private LatentCodec() {}

  public static Latent toF32(LatentTensor tensor) {
    return toWire(tensor, LatentDType.F32);
  }

  /**
   * @param dtype F32 or F16
   * @throws IllegalArgumentException for another dtype
   */
  public static Latent toWire(LatentTensor tensor, LatentDType dtype) {
    float[] values = tensor.values();
    ByteBuffer data = ByteBuffer.allocate(values.length * bytesPerValue(dtype)).order(ByteOrder.LITTLE_ENDIAN);
    if (dtype == LatentDType.F32) {
      data.asFloatBuffer().put(values);
    } else {
      for (float value : values) {
        data.putShort(Float16.fromFloat(value));
      }
      data.flip();
    }
    List<Integer> shape = new ArrayList<>();
    for (int dim : tensor.shape()) {
      shape.add(dim);
    }
    return Latent.newBuilder().setShape(shape).setDtype(dtype).setData(data).build();
  }

  /**
   * The values of a wire latent, row-major, as float32 (F16 values widen exactly).
   *
   * @throws IllegalArgumentException for a dtype other than F32 and F16 (the ones this app writes)
   *     or a byte count that does not match the shape
   */
  public static float[] floats(Latent latent) {
    int width = bytesPerValue(latent.getDtype());
    long elements = 1;
    for (int dim : latent.getShape()) {
      elements *= dim;
    }
    ByteBuffer data = latent.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (data.remaining() != elements * width) {
      throw new IllegalArgumentException("latent of shape " + latent.getShape() + " and dtype " + latent.getDtype()
          + " needs " + elements * width + " bytes, has " + data.remaining());
    }
    float[] values = new float[(int) elements];
    if (latent.getDtype() == LatentDType.F32) {
      data.asFloatBuffer().get(values);
    } else {
      for (int i = 0; i < values.length; i++) {
        values[i] = Float16.toFloat(data.getShort());
      }
    }
    return values;
  }

  private static int bytesPerValue(LatentDType dtype) {
    return switch (dtype) {
      case F32 -> Float.BYTES;
      case F16 -> Short.BYTES;
      default -> throw new IllegalArgumentException("latent dtype " + dtype + " is not supported, only F32 and F16");
    };
  }
}
