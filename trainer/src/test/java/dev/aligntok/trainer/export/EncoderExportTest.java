package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.encoders.MobileNetV2Config;
import dev.aligntok.trainer.encoders.MobileNetV2Encoder;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import dev.aligntok.trainer.latents.TinyTokenizer;
import dev.aligntok.trainer.tokenizer.Tokenizer;
import dev.aligntok.trainer.tokenizer.TokenizerConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The encoder side (image in [0, 1] → latent) exported to ONNX agrees with {@link Tokenizer#encode}
 * on the pretrained MobileNetV2 weights (ONNX Runtime CPU, fp32, batch 1 and 3 through one session).
 */
class EncoderExportTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void pretrainedMobileNetV2MatchesDjlUpToItsDefaultTap() throws Exception {
    MobileNetV2Encoder encoder = MobileNetV2Encoder.fromNsfwjs(NsfwjsPackage.locateOrSkip(), MobileNetV2Config.defaults(), manager);
    // 128 px: what the default tokenizer feeds it (64 px images enlarged ×2); an 8×8×384 feature map.
    OnnxParity.assertLayerParity("mobilenet_v2@block_10_expand_relu_128px", manager, encoder, encoder, 3, 128, 128);
  }

  @Test
  void tinyTokenizerEncoderGraphMatchesEncode() throws Exception {
    Tokenizer tokenizer = TinyTokenizer.tokenizer().tokenizer();
    OnnxGraph graph = TokenizerExport.encoder(tokenizer);
    OnnxParity.assertParity("tokenizer_encoder_tiny_16px", manager, encode(tokenizer), graph.toBytes(), 3, 16, 16);
  }

  @Test
  void defaultSizeTokenizerEncoderGraphMatchesEncode() throws Exception {
    TokenizerConfig config = TokenizerConfig.emojiDefault(true);
    Tokenizer tokenizer = Tokenizer.create(config, NsfwjsPackage.locateOrSkip(), manager);
    OnnxGraph graph = TokenizerExport.encoder(tokenizer);
    OnnxParity.assertParity("tokenizer_encoder_default_64px", manager, encode(tokenizer), graph.toBytes(), 3, 64, 64);
  }

  @Test
  void graphTakesImageAndGivesLatentWithADynamicBatch() throws Exception {
    OnnxGraph graph = TokenizerExport.encoder(TinyTokenizer.tokenizer().tokenizer());
    assertEquals("aligntok_encoder", graph.build().getGraph().getName());
    List<String> weights = graph.build().getGraph().getInitializerList().stream().map(t -> t.getName()).toList();
    assertTrue(weights.containsAll(List.of("encoder.stem.Conv1.weight", "encoder.block_2.branch.block_2_project.bias",
        "encoder.block_10.block_10_expand.weight", "adapter.fc2.bias")), weights.toString());
    try (OrtSession session = OrtEnvironment.getEnvironment().createSession(graph.toBytes(), new OrtSession.SessionOptions())) {
      TensorInfo in = (TensorInfo) session.getInputInfo().get(TokenizerExport.IMAGE).getInfo();
      TensorInfo out = (TensorInfo) session.getOutputInfo().get(TokenizerExport.LATENT).getInfo();
      assertArrayEquals(new long[] {-1, 3, 16, 16}, in.getShape());
      assertArrayEquals(new long[] {-1, 4, 2, 2}, out.getShape());
      assertEquals(OnnxGraph.BATCH, in.getDimensionNames()[0]);
      assertEquals(OnnxGraph.BATCH, out.getDimensionNames()[0]);
    }
  }

  @Test
  void anImageSizeTheEncoderCannotTileIsAClearErrorAtExport() {
    Tokenizer tokenizer = TinyTokenizer.tokenizer().tokenizer();
    IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class, () -> TokenizerExport.encoder(tokenizer, 20, 16));
    assertEquals("image size 20×16 enlarged ×2 is 40×32, not a multiple of the stride 16 of mobilenet_v2@block_10_expand_relu:"
        + " its last rows and columns would be dropped", ragged.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> TokenizerExport.encoder(tokenizer, 0, 16));
    assertEquals("image size must be positive, got 0×16", empty.getMessage());
  }

  @Test
  void aChangedEncoderWeightFailsParity() throws Exception {
    // Its own tokenizer, not the shared fixture, because the weight is changed after export.
    Tokenizer tokenizer = Tokenizer.create(TinyTokenizer.CONFIG, TinyTokenizer.nsfwjs(), manager);
    byte[] model = TokenizerExport.encoder(tokenizer).toBytes();
    // The last convolution before the tap: shows the graph reaches all the way there.
    NDArray bias = ((MobileNetV2Encoder) tokenizer.encoder()).convolutions().get("block_10_expand").bias().getArray();
    bias.set(bias.add(1f).toFloatArray());
    List<OnnxParity.Result> results = OnnxParity.measure("encoder_weight_changed_expect_fail", manager, encode(tokenizer), model, 3, 16, 16);
    assertTrue(results.stream().allMatch(r -> r.maxAbs() > 10 * OnnxParity.MAX_ABS_ERROR), results.toString());
  }

  /** {@link Tokenizer#encode} in inference mode as a block, the reference side of the parity check. */
  private static Block encode(Tokenizer tokenizer) {
    return LambdaBlock.singleton(images -> tokenizer.encode(new ParameterStore(images.getManager(), false), images, false));
  }
}
