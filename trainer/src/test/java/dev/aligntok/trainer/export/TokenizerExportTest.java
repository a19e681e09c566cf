package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.tokenizer.Adapter;
import dev.aligntok.trainer.tokenizer.Decoder;
import dev.aligntok.trainer.tokenizer.DecoderConfig;
import dev.aligntok.trainer.tokenizer.TokenizerConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The whole decoder and adapter, exported, agree with DJL; a changed weight is caught. */
class TokenizerExportTest {
  /** CI-size decoder: 4 latent channels, 4 levels (×8), mid attention. */
  private static final DecoderConfig CI = new DecoderConfig(4, List.of(16, 16, 8, 8), 1, true);
  private static final int GRID = 4;
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    Engine.getInstance().setRandomSeed(7);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void decoderMatchesDjlAtBatchOneAndThree() throws Exception {
    Decoder decoder = initialisedDecoder();
    OnnxGraph graph = TokenizerExport.decoder(decoder, GRID, GRID);
    OnnxParity.assertParity("decoder", manager, decoder, graph.toBytes(), 4, GRID, GRID);
  }

  @Test
  void demoSizeDecoderAndAdapterMatchDjl() throws Exception {
    // The shipped default (TokenizerConfig.emojiDefault): widths 128/128/64/32, an 8×8×8 latent → 64 px.
    TokenizerConfig demo = TokenizerConfig.emojiDefault(false);
    Decoder decoder = new Decoder(demo.decoder());
    decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 8, 8, 8));
    LayerParityTest.randomiseOneDimensional(decoder, 13);
    OnnxParity.assertParity("decoder_demo_size", manager, decoder, TokenizerExport.decoder(decoder, 8, 8).toBytes(), 8, 8, 8);

    Adapter adapter = new Adapter(demo.adapterHidden(), demo.latentChannels());
    adapter.initialize(manager, DataType.FLOAT32, new Shape(1, 384, 8, 8)); // block_10_expand_relu: 384 channels
    LayerParityTest.randomiseOneDimensional(adapter, 17);
    OnnxParity.assertParity("adapter_demo_size", manager, adapter, TokenizerExport.adapter(adapter, 8, 8).toBytes(), 384, 8, 8);
  }

  @Test
  void decoderGraphDeclaresLatentToImageWithADynamicBatch() throws Exception {
    byte[] model = TokenizerExport.decoder(initialisedDecoder(), GRID, GRID).toBytes();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
      TensorInfo in = (TensorInfo) session.getInputInfo().get(TokenizerExport.LATENT).getInfo();
      TensorInfo out = (TensorInfo) session.getOutputInfo().get(TokenizerExport.IMAGE).getInfo();
      assertArrayEquals(new long[] {-1, 4, 4, 4}, in.getShape());
      assertArrayEquals(new long[] {-1, 3, 32, 32}, out.getShape());
      assertEquals(OnnxGraph.BATCH, in.getDimensionNames()[0]);
    }
  }

  @Test
  void adapterMatchesDjlAtBatchOneAndThree() throws Exception {
    Adapter adapter = new Adapter(24, 4);
    adapter.initialize(manager, DataType.FLOAT32, new Shape(1, 12, GRID, GRID));
    LayerParityTest.randomiseOneDimensional(adapter, 3);
    assertEquals(12, adapter.featureChannels());
    OnnxGraph graph = TokenizerExport.adapter(adapter, GRID, GRID);
    OnnxParity.assertParity("adapter", manager, adapter, graph.toBytes(), 12, GRID, GRID);
  }

  @Test
  void aWeightChangedAfterExportFailsParity() throws Exception {
    Decoder decoder = initialisedDecoder();
    byte[] model = TokenizerExport.decoder(decoder, GRID, GRID).toBytes();
    NDArray weight = parameterEndingWith(decoder, "conv_out_weight").getArray();
    float[] values = weight.toFloatArray();
    values[0] += 0.05f;
    weight.set(values);
    List<OnnxParity.Result> results = OnnxParity.measure("decoder_weight_changed_expect_fail", manager, decoder, model, 4, GRID, GRID);
    assertTrue(results.stream().allMatch(r -> r.maxAbs() > 10 * OnnxParity.MAX_ABS_ERROR), results.toString());
    assertThrows(AssertionFailedError.class,
        () -> OnnxParity.assertParity("decoder_weight_changed_expect_fail", manager, decoder, model, 4, GRID, GRID));
  }

  @Test
  void exportingAnUninitialisedDecoderIsAClearError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TokenizerExport.decoder(new Decoder(CI), GRID, GRID));
    assertTrue(e.getMessage().contains("is not initialised"), e.getMessage());
  }

  private Decoder initialisedDecoder() {
    Decoder decoder = new Decoder(CI);
    decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4, GRID, GRID));
    LayerParityTest.randomiseOneDimensional(decoder, 11);
    return decoder;
  }

  private static Parameter parameterEndingWith(Decoder decoder, String suffix) {
    for (Pair<String, Parameter> pair : decoder.getParameters()) {
      if (pair.getKey().endsWith(suffix)) {
        return pair.getValue();
      }
    }
    throw new AssertionError("no parameter ending with " + suffix + " in " + decoder.getParameters().keys());
  }
}
