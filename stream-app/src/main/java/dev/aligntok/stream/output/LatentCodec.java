package dev.aligntok.stream.output;

import dev.aligntok.events.Latent;
import dev.aligntok.events.LatentDType;
import dev.aligntok.stream.model.LatentTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Turns a model's latent into its wire form: row-major little-endian float32 (dtype F32). */
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
}
