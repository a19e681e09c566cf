package dev.aligntok.stream.output;

import dev.aligntok.events.Latent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.stream.model.LatentTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** A model's latent and its wire form: row-major little-endian float32 (dtype F32). */
public final class LatentCodec {
  private LatentCodec() {}

  public static Latent toF32(LatentTensor tensor) {
    float[] values = tensor.values();
    ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    data.asFloatBuffer().put(values);
    List<Integer> shape = new ArrayList<>();
    for (int dim : tensor.shape()) {
      shape.add(dim);
    }
    return Latent.newBuilder().setShape(shape).setDtype(LatentDType.F32).setData(data).build();
  }

  /**
   * The values of a wire latent, row-major.
   *
   * @throws IllegalArgumentException for a dtype other than F32 (the only one this app writes) or
   *     a byte count that does not match the shape
   */
  public static float[] floats(Latent latent) {
    if (latent.getDtype() != LatentDType.F32) {
      throw new IllegalArgumentException("latent dtype " + latent.getDtype() + " is not supported, only F32");
    }
    long elements = 1;
    for (int dim : latent.getShape()) {
      elements *= dim;
    }
    ByteBuffer data = latent.getData().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (data.remaining() != elements * Float.BYTES) {
      throw new IllegalArgumentException("latent of shape " + latent.getShape() + " needs " + elements * Float.BYTES
          + " bytes, has " + data.remaining());
    }
    float[] values = new float[(int) elements];
    data.asFloatBuffer().get(values);
    return values;
  }
}
