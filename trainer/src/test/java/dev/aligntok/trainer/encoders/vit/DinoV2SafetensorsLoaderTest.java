package dev.aligntok.trainer.encoders.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.aligntok.trainer.encoders.vit.TinyCheckpoints.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loaders are proven by writing small checkpoints with known random weights, loading them and
 * comparing the ViT's output with {@link NaiveVit} computed from the same weights: a wrong name
 * mapping (q/k swapped, a layer-scale on the wrong branch...) shows up as a large error.
 */
class DinoV2SafetensorsLoaderTest {

  @Test
  void huggingFaceCheckpointReproducesThePlainJavaForward(@TempDir Path dir) throws Exception {
    VitConfig config = TinyCheckpoints.tiny();
    Map<String, Tensor> original = TinyCheckpoints.randomWeights(config, 1);
    Path file = dir.resolve("model.safetensors");
    // Mixed precisions, as real checkpoints come: F16 positions and attention, BF16 MLP, F32 rest.
    Map<String, Tensor> stored = TinyCheckpoints.write(file, TinyCheckpoints.toHuggingFace(original), name ->
        name.contains("position") || name.contains(".attention.") ? DataType.FLOAT16
            : name.contains(".mlp.") ? DataType.BFLOAT16 : DataType.FLOAT32);
    Files.writeString(dir.resolve("config.json"), TinyCheckpoints.hfConfigJson(config));
    Map<String, Tensor> asLoaded = backToOriginal(stored, original);

    try (NDManager manager = NDManager.newBaseManager()) {
      DinoV2SafetensorsLoader.Loaded loaded = DinoV2SafetensorsLoader.load(file, manager, DinoV2SafetensorsLoader.Options.DEFAULT);
      assertEquals(DinoV2SafetensorsLoader.Naming.HF_TRANSFORMERS, loaded.naming());
      assertEquals(config.withLayerScaleInit(1.0f), loaded.config());
      assertEquals(List.of("embeddings.mask_token"), loaded.ignored());
      assertMatchesReference(loaded, asLoaded, manager, "HF naming", new int[][] {{32, 32}, {40, 48}, {16, 24}});
    }
  }

  @Test
  void huggingFaceWithRegistersAndSwiGlu(@TempDir Path dir) throws Exception {
    VitConfig config = new VitConfig(32, 8, 3, 32, 2, 4, 4.0, VitConfig.FeedForward.SWIGLU, 1.0f, 4, 1e-6f,
        PositionInterpolation.HF_DINOV2_WITH_REGISTERS);
    Map<String, Tensor> original = TinyCheckpoints.randomWeights(config, 2);
    Path file = dir.resolve("model.safetensors");
    TinyCheckpoints.write(file, TinyCheckpoints.toHuggingFace(original));
    Files.writeString(dir.resolve("config.json"), TinyCheckpoints.hfConfigJson(config));
    try (NDManager manager = NDManager.newBaseManager()) {
      DinoV2SafetensorsLoader.Loaded loaded = DinoV2SafetensorsLoader.load(file, manager, DinoV2SafetensorsLoader.Options.DEFAULT);
      assertEquals(config, loaded.config(), "registers pick transformers' antialiased resampling");
      assertMatchesReference(loaded, original, manager, "HF naming, 4 registers, SwiGLU", new int[][] {{32, 32}, {48, 40}});
    }
  }

  @Test
  void originalDinoV2CheckpointReproducesThePlainJavaForward(@TempDir Path dir) throws Exception {
    VitConfig config = TinyCheckpoints.tiny().withRegisterTokens(2);
    Map<String, Tensor> original = TinyCheckpoints.randomWeights(config, 3);
    Path file = dir.resolve("dinov2_tiny_reg2.safetensors");
    TinyCheckpoints.write(file, original);
    try (NDManager manager = NDManager.newBaseManager()) {
      DinoV2SafetensorsLoader.Loaded loaded = DinoV2SafetensorsLoader.load(file, manager, DinoV2SafetensorsLoader.Options.heads(4));
      assertEquals(DinoV2SafetensorsLoader.Naming.ORIGINAL_DINOV2, loaded.naming());
      assertEquals(config.withLayerScaleInit(1.0f).withPositionInterpolation(PositionInterpolation.ORIGINAL_DINOV2), loaded.config());
      assertEquals(List.of("mask_token"), loaded.ignored());
      assertMatchesReference(loaded, original, manager, "original naming", new int[][] {{32, 32}, {40, 48}, {56, 56}});
    }
  }

  @Test
  void loadIntoAnExistingModelAndReadConfigWithoutData(@TempDir Path dir) throws Exception {
    VitConfig config = TinyCheckpoints.tiny();
    Map<String, Tensor> original = TinyCheckpoints.randomWeights(config, 4);
    Path file = dir.resolve("w.safetensors");
    TinyCheckpoints.write(file, original);
    VitConfig read = DinoV2SafetensorsLoader.readConfig(file, DinoV2SafetensorsLoader.Options.heads(4));
    try (NDManager manager = NDManager.newBaseManager()) {
      VisionTransformer vit = new VisionTransformer(read);
      vit.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      DinoV2SafetensorsLoader.loadInto(vit, file);
      assertMatchesReference(new DinoV2SafetensorsLoader.Loaded(vit, read, DinoV2SafetensorsLoader.Naming.ORIGINAL_DINOV2, List.of()),
          original, manager, "loadInto", new int[][] {{32, 32}});
    }
  }

  @Test
  void damagedOrMismatchedFilesSayWhatIsWrong(@TempDir Path dir) throws Exception {
    VitConfig config = TinyCheckpoints.tiny();
    Map<String, Tensor> hf = TinyCheckpoints.toHuggingFace(TinyCheckpoints.randomWeights(config, 5));

    // a tensor missing, another with the wrong shape, and a stray one: all listed at once
    String message = loadFailure(dir, "broken", hf, withHeads(), w -> {
      w.remove("encoder.layer.1.mlp.fc2.bias");
      w.put("encoder.layer.0.norm1.weight", new Tensor(new long[] {31}, new float[31]));
      w.put("encoder.layer.0.extra.weight", new Tensor(new long[] {2}, new float[2]));
    });
    assertTrue(message.contains("3 problems"), message);
    assertTrue(message.contains("missing tensor encoder.layer.1.mlp.fc2.bias"), message);
    assertTrue(message.contains("tensor encoder.layer.0.norm1.weight has shape [31], expected [32]"), message);
    assertTrue(message.contains("unexpected tensor encoder.layer.0.extra.weight"), message);

    // one of q, k, v missing is named as such
    message = loadFailure(dir, "nokey", hf, withHeads(), w -> w.remove("encoder.layer.1.attention.attention.key.weight"));
    assertTrue(message.contains("missing tensor encoder.layer.1.attention.attention.key.weight"), message);
    assertTrue(message.contains("1 problem"), message);

    // a whole block missing in the middle
    message = loadFailure(dir, "gap", hf, withHeads(), w -> w.keySet().removeIf(n -> n.startsWith("encoder.layer.0.")));
    assertTrue(message.contains("missing tensor encoder.layer.0.norm1.weight"), message);
    assertTrue(message.contains("missing tensor encoder.layer.0.attention.attention.{query,key,value}.weight"), message);

    // a naming nobody uses
    message = loadFailure(dir, "foreign", Map.of("conv1.weight", new Tensor(new long[] {2}, new float[2])), withHeads(), w -> { });
    assertTrue(message.startsWith("unknown naming in "), message);
    assertTrue(message.contains("[conv1.weight]"), message);

    // a width with no standard head count and nothing saying the heads
    message = loadFailure(dir, "noheads", hf, DinoV2SafetensorsLoader.Options.DEFAULT, w -> { });
    assertTrue(message.contains("cannot tell the number of attention heads") && message.contains("width 32"), message);

    // config.json that contradicts the tensors
    Path sub = Files.createDirectories(dir.resolve("conflict"));
    Path file = sub.resolve("model.safetensors");
    TinyCheckpoints.write(file, hf);
    Files.writeString(sub.resolve("config.json"), TinyCheckpoints.hfConfigJson(config).replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 12"));
    message = assertThrows(IllegalArgumentException.class,
        () -> DinoV2SafetensorsLoader.load(file, NDManager.newBaseManager(), DinoV2SafetensorsLoader.Options.DEFAULT)).getMessage();
    assertTrue(message.contains("num_hidden_layers=12 but the number of blocks in the file is 2"), message);

    // integer tensors cannot be weights
    Path ints = dir.resolve("ints.safetensors");
    TinyCheckpoints.write(ints, hf, name -> name.equals("layernorm.bias") ? DataType.INT32 : DataType.FLOAT32);
    message = assertThrows(IllegalArgumentException.class,
        () -> DinoV2SafetensorsLoader.load(ints, NDManager.newBaseManager(), withHeads())).getMessage();
    assertTrue(message.contains("layernorm.bias I32[32]") && message.contains("not floating point"), message);
  }

  @Test
  void truncatedAndGarbageFilesAreReportedAsSuch(@TempDir Path dir) throws Exception {
    Map<String, Tensor> hf = TinyCheckpoints.toHuggingFace(TinyCheckpoints.randomWeights(TinyCheckpoints.tiny(), 6));
    Path file = dir.resolve("model.safetensors");
    TinyCheckpoints.write(file, hf);
    byte[] bytes = Files.readAllBytes(file);

    Path truncated = dir.resolve("truncated.safetensors");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 100));
    String message = assertThrows(IllegalArgumentException.class,
        () -> DinoV2SafetensorsLoader.load(truncated, NDManager.newBaseManager(), withHeads())).getMessage();
    assertTrue(message.startsWith("bad safetensors file " + truncated) && message.contains("truncated?"), message);

    Path garbage = dir.resolve("garbage.safetensors");
    Files.writeString(garbage, "this is not a safetensors file at all");
    message = assertThrows(IllegalArgumentException.class,
        () -> DinoV2SafetensorsLoader.load(garbage, NDManager.newBaseManager(), withHeads())).getMessage();
    assertTrue(message.contains("header length") && message.contains("not a safetensors file"), message);

    Path badJson = dir.resolve("badjson.safetensors");
    byte[] broken = bytes.clone();
    broken[8] = 'x';                                   // the header's opening brace
    Files.write(badJson, broken);
    message = assertThrows(IllegalArgumentException.class,
        () -> DinoV2SafetensorsLoader.load(badJson, NDManager.newBaseManager(), withHeads())).getMessage();
    assertTrue(message.contains("header is not valid JSON"), message);

    String missing = assertThrows(java.io.UncheckedIOException.class,
        () -> DinoV2SafetensorsLoader.load(dir.resolve("nope.safetensors"), NDManager.newBaseManager(), withHeads())).getMessage();
    assertTrue(missing.contains("nope.safetensors"), missing);
  }

  @Test
  void readerConvertsEveryFloatTypeExactly(@TempDir Path dir) throws Exception {
    float[] values = {0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-05f, 5.9604645e-08f, -3.1415927f, 1e-3f, 300.7f};
    for (DataType type : new DataType[] {DataType.FLOAT16, DataType.BFLOAT16, DataType.FLOAT64, DataType.FLOAT32}) {
      Path file = dir.resolve(type + ".safetensors");
      float[] stored = TinyCheckpoints.write(file, Map.of("x", new Tensor(new long[] {2, 5}, values)), n -> type).get("x").values();
      try (SafetensorsFile reader = SafetensorsFile.open(file)) {
        assertEquals(type.asSafetensors(), reader.entries().get("x").dtype());
        assertArrayEquals(stored, reader.readFloats("x"), 0f, type.toString());
      }
      if (type == DataType.FLOAT16 || type == DataType.FLOAT32) {
        // the hand writer used for BF16 files agrees with DJL's encoder and decoder
        Path byHand = dir.resolve(type + "-hand.safetensors");
        TinyCheckpoints.writeByHand(byHand, Map.of("x", new Tensor(new long[] {2, 5}, stored)), Map.of("x", type));
        try (SafetensorsFile reader = SafetensorsFile.open(byHand); NDManager manager = NDManager.newBaseManager();
            java.io.InputStream in = Files.newInputStream(byHand)) {
          assertArrayEquals(stored, reader.readFloats("x"), 0f);
          assertArrayEquals(stored, NDList.decode(manager, in).get("x").toType(DataType.FLOAT32, false).toFloatArray(), 0f);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static DinoV2SafetensorsLoader.Options withHeads() {
    return DinoV2SafetensorsLoader.Options.heads(4);
  }

  private static String loadFailure(Path dir, String name, Map<String, Tensor> tensors, DinoV2SafetensorsLoader.Options options,
      Consumer<Map<String, Tensor>> damage) throws Exception {
    Map<String, Tensor> copy = new java.util.LinkedHashMap<>(tensors);
    damage.accept(copy);
    Path file = dir.resolve(name + ".safetensors");
    TinyCheckpoints.write(file, copy);
    try (NDManager manager = NDManager.newBaseManager()) {
      return assertThrows(IllegalArgumentException.class, () -> DinoV2SafetensorsLoader.load(file, manager, options)).getMessage();
    }
  }

  /** The values as stored (after rounding to the file's dtypes) under the original names. */
  private static Map<String, Tensor> backToOriginal(Map<String, Tensor> storedHf, Map<String, Tensor> original) {
    Map<String, Tensor> roundTrip = new java.util.LinkedHashMap<>();
    Map<String, Tensor> hfOfOriginal = TinyCheckpoints.toHuggingFace(original);
    original.forEach((name, tensor) -> {
      Map<String, Tensor> single = TinyCheckpoints.toHuggingFace(Map.of(name, tensor));
      float[] values = new float[tensor.values().length];
      int offset = 0;
      for (String hfName : single.keySet()) {
        float[] part = storedHf.get(hfName).values();
        System.arraycopy(part, 0, values, offset, part.length);
        offset += part.length;
        assertTrue(hfOfOriginal.containsKey(hfName));
      }
      roundTrip.put(name, new Tensor(tensor.shape(), values));
    });
    return roundTrip;
  }

  private static void assertMatchesReference(DinoV2SafetensorsLoader.Loaded loaded, Map<String, Tensor> weights,
      NDManager manager, String what, int[][] sizes) {
    NaiveVit reference = new NaiveVit(loaded.config(), TinyCheckpoints.values(weights));
    for (int[] hw : sizes) {
      float[] image = TinyCheckpoints.randomImage(3, hw[0], hw[1], hw[0] * 31L + hw[1]);
      NDArray x = manager.create(image, new Shape(1, 3, hw[0], hw[1]));
      NDArray out = loaded.model().forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
      double error = VisionTransformerTest.maxAbsError(reference.forward(image, hw[0], hw[1]), out.toFloatArray());
      System.out.printf("%s, %dx%d input: max abs error vs plain Java %.2e%n", what, hw[0], hw[1], error);
      assertTrue(error <= 1e-4, what + " at " + hw[0] + "x" + hw[1] + ": max abs error " + error);
    }
  }
}
