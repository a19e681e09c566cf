package dev.aligntok.trainer.encoders.vit;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/** Random DINOv2 weights for small test configs, written as safetensors in either naming. */
final class TinyCheckpoints {
  private TinyCheckpoints() {}

  /** The small ViT the tests use: 32 px, patch 8 (4×4 grid), width 32, depth 2, 4 heads. */
  static VitConfig tiny() {
    return VitConfig.of(32, 8, 32, 2, 4);
  }

  /** A tensor: shape and values (row-major). */
  record Tensor(long[] shape, float[] values) {}

  /** Random weights under the original DINOv2 names, shaped for {@code config}, plus a mask token. */
  static Map<String, Tensor> randomWeights(VitConfig config, long seed) {
    Random random = new Random(seed);
    int d = config.width();
    int m = config.gridSize();
    int p = config.patchSize();
    int h = config.ffnHidden();
    Map<String, Tensor> w = new LinkedHashMap<>();
    w.put("cls_token", gaussian(random, 0.5, 1, 1, d));
    w.put("mask_token", gaussian(random, 0.5, 1, d));
    w.put("pos_embed", gaussian(random, 0.5, 1, 1 + (long) m * m, d));
    if (config.registerTokens() > 0) {
      w.put("register_tokens", gaussian(random, 0.5, 1, config.registerTokens(), d));
    }
    w.put("patch_embed.proj.weight", gaussian(random, 1.0 / Math.sqrt(config.inChannels() * p * p), d, config.inChannels(), p, p));
    w.put("patch_embed.proj.bias", gaussian(random, 0.1, d));
    for (int b = 0; b < config.depth(); b++) {
      String pre = "blocks." + b + ".";
      w.put(pre + "norm1.weight", around(random, 1.0, 0.2, d));
      w.put(pre + "norm1.bias", gaussian(random, 0.1, d));
      w.put(pre + "attn.qkv.weight", gaussian(random, 1.0 / Math.sqrt(d), 3L * d, d));
      w.put(pre + "attn.qkv.bias", gaussian(random, 0.1, 3L * d));
      w.put(pre + "attn.proj.weight", gaussian(random, 1.0 / Math.sqrt(d), d, d));
      w.put(pre + "attn.proj.bias", gaussian(random, 0.1, d));
      w.put(pre + "ls1.gamma", around(random, 0.8, 0.3, d));
      w.put(pre + "norm2.weight", around(random, 1.0, 0.2, d));
      w.put(pre + "norm2.bias", gaussian(random, 0.1, d));
      if (config.feedForward() == VitConfig.FeedForward.SWIGLU) {
        w.put(pre + "mlp.w12.weight", gaussian(random, 1.0 / Math.sqrt(d), 2L * h, d));
        w.put(pre + "mlp.w12.bias", gaussian(random, 0.1, 2L * h));
        w.put(pre + "mlp.w3.weight", gaussian(random, 1.0 / Math.sqrt(h), d, h));
        w.put(pre + "mlp.w3.bias", gaussian(random, 0.1, d));
      } else {
        w.put(pre + "mlp.fc1.weight", gaussian(random, 1.0 / Math.sqrt(d), h, d));
        w.put(pre + "mlp.fc1.bias", gaussian(random, 0.1, h));
        w.put(pre + "mlp.fc2.weight", gaussian(random, 1.0 / Math.sqrt(h), d, h));
        w.put(pre + "mlp.fc2.bias", gaussian(random, 0.1, d));
      }
      w.put(pre + "ls2.gamma", around(random, 0.8, 0.3, d));
    }
    w.put("norm.weight", around(random, 1.0, 0.2, d));
    w.put("norm.bias", gaussian(random, 0.1, d));
    return w;
  }

  /** The same weights under Hugging Face transformers names (q, k, v split apart). */
  static Map<String, Tensor> toHuggingFace(Map<String, Tensor> original) {
    Map<String, Tensor> hf = new LinkedHashMap<>();
    original.forEach((name, t) -> {
      if (name.contains(".attn.qkv.")) {
        String layer = name.replaceFirst("blocks\\.(\\d+)\\..*", "$1");
        String kind = name.endsWith("weight") ? "weight" : "bias";
        int third = t.values().length / 3;
        long[] shape = t.shape().clone();
        shape[0] /= 3;
        String[] parts = {"query", "key", "value"};
        for (int i = 0; i < 3; i++) {
          hf.put("encoder.layer." + layer + ".attention.attention." + parts[i] + "." + kind,
              new Tensor(shape, Arrays.copyOfRange(t.values(), i * third, (i + 1) * third)));
        }
        return;
      }
      String renamed = name
          .replaceFirst("^cls_token$", "embeddings.cls_token")
          .replaceFirst("^mask_token$", "embeddings.mask_token")
          .replaceFirst("^pos_embed$", "embeddings.position_embeddings")
          .replaceFirst("^register_tokens$", "embeddings.register_tokens")
          .replaceFirst("^patch_embed\\.proj\\.", "embeddings.patch_embeddings.projection.")
          .replaceFirst("^blocks\\.(\\d+)\\.attn\\.proj\\.", "encoder.layer.$1.attention.output.dense.")
          .replaceFirst("^blocks\\.(\\d+)\\.ls([12])\\.gamma$", "encoder.layer.$1.layer_scale$2.lambda1")
          .replaceFirst("^blocks\\.(\\d+)\\.mlp\\.w12\\.", "encoder.layer.$1.mlp.weights_in.")
          .replaceFirst("^blocks\\.(\\d+)\\.mlp\\.w3\\.", "encoder.layer.$1.mlp.weights_out.")
          .replaceFirst("^blocks\\.(\\d+)\\.", "encoder.layer.$1.")
          .replaceFirst("^norm\\.", "layernorm.");
      hf.put(renamed, t);
    });
    return hf;
  }

  /** The config.json transformers writes for such a model. */
  static String hfConfigJson(VitConfig config) {
    return "{\"model_type\": \"dinov2\", \"hidden_size\": " + config.width()
        + ", \"num_hidden_layers\": " + config.depth()
        + ", \"num_attention_heads\": " + config.heads()
        + ", \"patch_size\": " + config.patchSize()
        + ", \"image_size\": " + config.imageSize()
        + ", \"num_channels\": " + config.inChannels()
        + ", \"mlp_ratio\": " + config.mlpRatio()
        + ", \"layer_norm_eps\": 1e-06, \"layerscale_value\": 1.0, \"hidden_act\": \"gelu\", \"qkv_bias\": true"
        + ", \"use_swiglu_ffn\": " + (config.feedForward() == VitConfig.FeedForward.SWIGLU)
        + (config.registerTokens() > 0 ? ", \"num_register_tokens\": " + config.registerTokens() : "")
        + "}";
  }

  /**
   * Writes tensors as safetensors, each in the data type {@code dtypes} picks. Values are first
   * rounded to that type, so the file holds exactly the values returned. DJL's encoder writes the
   * file unless a tensor is BF16: DJL 0.36's PyTorch engine aborts the JVM on any BF16 array
   * ("terminate called without an active exception"), so those files are written by hand.
   */
  static Map<String, Tensor> write(Path file, Map<String, Tensor> tensors, Function<String, DataType> dtypes) throws IOException {
    Map<String, Tensor> stored = new LinkedHashMap<>();
    Map<String, DataType> types = new LinkedHashMap<>();
    tensors.forEach((name, t) -> {
      DataType type = dtypes.apply(name);
      types.put(name, type);
      stored.put(name, new Tensor(t.shape(), roundTo(t.values(), type)));
    });
    if (types.containsValue(DataType.BFLOAT16)) {
      writeByHand(file, stored, types);
      return stored;
    }
    try (NDManager manager = NDManager.newBaseManager(); OutputStream out = Files.newOutputStream(file)) {
      NDList list = new NDList();
      for (Map.Entry<String, Tensor> e : stored.entrySet()) {
        NDArray array = manager.create(e.getValue().values(), new Shape(e.getValue().shape()));
        DataType type = types.get(e.getKey());
        if (type != DataType.FLOAT32) {
          array = array.toType(type, false);
        }
        array.setName(e.getKey());
        list.add(array);
      }
      list.encode(out, NDList.Encoding.SAFETENSORS);
    }
    return stored;
  }

  /** The safetensors layout written directly: F32, F16 and BF16 (values already representable). */
  static void writeByHand(Path file, Map<String, Tensor> tensors, Map<String, DataType> types) throws IOException {
    StringBuilder header = new StringBuilder("{");
    java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      DataType type = types.get(e.getKey());
      float[] v = e.getValue().values();
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(v.length * type.getNumOfBytes()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        switch (type) {
          case FLOAT32 -> bytes.putFloat(f);
          case BFLOAT16 -> bytes.putShort((short) (Float.floatToRawIntBits(f) >>> 16));
          case FLOAT16 -> bytes.putShort(floatToHalf(f));
          default -> throw new IllegalArgumentException("hand writer does not do " + type);
        }
      }
      int begin = data.size();
      data.write(bytes.array());
      if (header.length() > 1) {
        header.append(',');
      }
      header.append('"').append(e.getKey()).append("\":{\"dtype\":\"").append(type.asSafetensors())
          .append("\",\"shape\":").append(Arrays.toString(e.getValue().shape()).replace(" ", ""))
          .append(",\"data_offsets\":[").append(begin).append(',').append(data.size()).append("]}");
    }
    header.append('}');
    while (header.length() % 8 != 0) {
      header.append(' ');
    }
    byte[] json = header.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
      out.write(json);
      data.writeTo(out);
    }
  }

  /** binary32 → binary16 for values exactly representable in binary16. */
  private static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    float magnitude = Math.abs(f);
    if (magnitude < 0x1p-14f) {
      return (short) (sign | Math.round(magnitude / 0x1p-24f));      // zero or subnormal
    }
    int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
    return (short) (sign | (exponent << 10) | ((bits & 0x7fffff) >>> 13));
  }

  static Map<String, Tensor> write(Path file, Map<String, Tensor> tensors) throws IOException {
    return write(file, tensors, name -> DataType.FLOAT32);
  }

  /** Values made exactly representable in {@code type} (round to nearest). */
  static float[] roundTo(float[] values, DataType type) {
    float[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      if (type == DataType.BFLOAT16) {
        int bits = Float.floatToRawIntBits(out[i]);
        bits += 0x7fff + ((bits >>> 16) & 1);           // round to nearest even
        out[i] = Float.intBitsToFloat(bits & 0xffff0000);
      } else if (type == DataType.FLOAT16) {
        // values here are far from the half range limits; 11 significant bits
        int exponent = Math.getExponent(out[i]);
        double ulp = Math.scalb(1.0, Math.max(exponent, -14) - 10);
        out[i] = (float) (Math.rint(out[i] / ulp) * ulp);
      }
    }
    return out;
  }

  /** Plain float arrays by name (what {@link NaiveVit} reads). */
  static Map<String, float[]> values(Map<String, Tensor> tensors) {
    Map<String, float[]> v = new LinkedHashMap<>();
    tensors.forEach((name, t) -> v.put(name, t.values()));
    return v;
  }

  static float[] randomImage(int channels, int height, int width, long seed) {
    Random random = new Random(seed);
    float[] image = new float[channels * height * width];
    for (int i = 0; i < image.length; i++) {
      image[i] = (float) random.nextGaussian();
    }
    return image;
  }

  private static Tensor gaussian(Random random, double std, long... shape) {
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    return new Tensor(shape, v);
  }

  private static Tensor around(Random random, double mean, double spread, long... shape) {
    float[] v = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (mean + (random.nextDouble() * 2 - 1) * spread);
    }
    return new Tensor(shape, v);
  }
}
