package dev.aligntok.trainer.encoders;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Optional;

/**
 * One entry of a TF.js {@code weightsManifest} group: a named tensor, its logical dtype and, when
 * quantised, how it is stored. The group's shards are one byte stream holding the entries back to
 * back in manifest order, each taking {@link #storedBytes()}.
 *
 * @param name the weight's name, {@code <layer>/<variable>}, e.g. {@code Conv1/kernel}
 * @param shape the tensor shape as Keras has it (for conv kernels: height, width, in, out)
 * @param dtype the logical dtype after decoding; only {@code float32} is supported
 * @param quantization how the values are stored, when not as plain float32
 */
public record TfjsWeightSpec(String name, int[] shape, String dtype, Optional<Quantization> quantization) {

  /**
   * TF.js weight quantisation. For {@code uint8} and {@code uint16}, a stored integer {@code q}
   * means {@code min + scale·q} (TF.js computes {@code q * scale + min} in double and rounds to
   * float32); {@code float16} stores IEEE half floats and has no min/scale.
   */
  public record Quantization(String dtype, double min, double scale) {
    int bytesPerValue() {
      switch (dtype) {
        case "uint8":
          return 1;
        case "uint16":
        case "float16":
          return 2;
        default:
          throw new IllegalArgumentException("unknown quantization dtype '" + dtype + "' (TF.js knows uint8, uint16, float16)");
      }
    }
  }

  public TfjsWeightSpec {
    shape = shape.clone();
    if (!"float32".equals(dtype)) {
      throw new IllegalArgumentException("dtype " + dtype + " is not supported (only float32 weights)");
    }
  }

  /** Reads a manifest entry, naming {@code source} in any error. */
  static TfjsWeightSpec fromJson(JsonNode node, String source) {
    String name = node.path("name").asText(null);
    if (name == null || !node.path("shape").isArray()) {
      throw new IllegalArgumentException(source + ": weightsManifest entry without name or shape: " + node);
    }
    int[] shape = new int[node.get("shape").size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = node.get("shape").get(i).asInt(-1);
      if (shape[i] < 0) {
        throw new IllegalArgumentException(source + ": weight " + name + " has a bad shape " + node.get("shape"));
      }
    }
    Optional<Quantization> quantization = Optional.empty();
    JsonNode q = node.get("quantization");
    if (q != null && !q.isNull()) {
      String qType = q.path("dtype").asText("");
      boolean affine = qType.equals("uint8") || qType.equals("uint16");
      if (affine && !(q.path("min").isNumber() && q.path("scale").isNumber())) {
        throw new IllegalArgumentException(source + ": weight " + name + " is " + qType + "-quantised but lacks min/scale");
      }
      quantization = Optional.of(new Quantization(qType, q.path("min").asDouble(Double.NaN), q.path("scale").asDouble(Double.NaN)));
    }
    try {
      quantization.ifPresent(Quantization::bytesPerValue); // rejects unknown kinds now, not when reading bytes
      return new TfjsWeightSpec(name, shape, node.path("dtype").asText("float32"), quantization);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": weight " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  public int elementCount() {
    long count = 1;
    for (int dim : shape) {
      count = Math.multiplyExact(count, dim);
    }
    return Math.toIntExact(count);
  }

  /** Bytes this weight takes in the shard stream. */
  public long storedBytes() {
    int perValue = quantization.map(Quantization::bytesPerValue).orElse(4);
    return (long) elementCount() * perValue;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TfjsWeightSpec o && name.equals(o.name) && Arrays.equals(shape, o.shape)
        && dtype.equals(o.dtype) && quantization.equals(o.quantization);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + quantization.map(q -> " " + q.dtype()).orElse(" float32");
  }
}
