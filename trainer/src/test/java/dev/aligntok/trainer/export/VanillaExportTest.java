package dev.aligntok.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.trainer.tokenizer.CnnEncoder;
import dev.aligntok.trainer.tokenizer.CnnEncoderConfig;
import dev.aligntok.trainer.tokenizer.Tokenizer;
import dev.aligntok.trainer.tokenizer.TokenizerConfig;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fair vanilla tokenizer's LDM-style CNN encoder, exported, agrees with its DJL forward (≤ 1e-4,
 * batch 1 and 3), alone and as the whole image → latent graph at the demo size, C = 8 and C = 32,
 * with the Gaussian head's mean as the latent.
 */
class VanillaExportTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
    Engine.getInstance().setRandomSeed(11);
  }

  @AfterEach
  void close() {
    manager.close();
  }

  @Test
  void cnnEncoderAloneMatchesDjl() throws Exception {
    CnnEncoder small = new CnnEncoder(new CnnEncoderConfig(List.of(8, 16, 16), 1, true));
    small.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
    LayerParityTest.randomiseOneDimensional(small, 21);
    OnnxParity.assertLayerParity("cnn_encoder_16px", manager, small, small, 3, 16, 16);
  }

  @Test
  void demoSizeVanillaEncoderGraphsMatchEncode() throws Exception {
    for (int channels : new int[] {8, 32}) {
      for (boolean gaussian : new boolean[] {false, true}) {
        TokenizerConfig config = TokenizerConfig.emojiVanilla(channels, gaussian);
        Tokenizer tokenizer = Tokenizer.create(config, null, manager);
        LayerParityTest.randomiseOneDimensional(tokenizer.encoder(), 23);
        OnnxGraph graph = TokenizerExport.encoder(tokenizer);
        String label = "vanilla_encoder_64px_c" + channels + (gaussian ? "_gaussian_mean" : "");
        OnnxParity.assertParity(label, manager, encode(tokenizer), graph.toBytes(), 3, 64, 64);
        try (OrtSession session = OrtEnvironment.getEnvironment().createSession(graph.toBytes(), new OrtSession.SessionOptions())) {
          TensorInfo out = (TensorInfo) session.getOutputInfo().get(TokenizerExport.LATENT).getInfo();
          assertArrayEquals(new long[] {-1, channels, 8, 8}, out.getShape(), label);
        }
        List<String> weights = graph.build().getGraph().getInitializerList().stream().map(t -> t.getName()).toList();
        assertTrue(weights.contains("encoder.level0_block0.norm1.gamma") && weights.contains("encoder.norm_out.beta"), weights.toString());
        assertTrue(weights.stream().noneMatch(w -> w.contains("logvar")), "the exported latent is the mean: " + weights);
      }
    }
  }

  private static Block encode(Tokenizer tokenizer) {
    return LambdaBlock.singleton(images -> tokenizer.encode(new ParameterStore(images.getManager(), false), images, false));
  }
}
