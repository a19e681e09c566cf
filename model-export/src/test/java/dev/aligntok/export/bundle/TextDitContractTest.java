package dev.aligntok.export.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.inference.manifest.BundleException;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.inference.manifest.ModelContract.Conditioning;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text DiT's contract: its conditioning input is {@code text_embedding} float32 [batch, D] in
 * place of {@code class}; the manifest's declared inputs say which conditioning a DiT has, and the
 * writer checks the rest of the signature against it.
 */
class TextDitContractTest {
  private static final int TEXT_DIM = TestBundles.TEXT_DIM;

  @TempDir
  Path tmp;

  @Test
  void aTextDitIsWrittenWithItsTextEmbeddingInputDeclared() throws Exception {
    BundleManifest manifest = TestBundles.writeTextGenerator(tmp.resolve("text"), textDit(TEXT_DIM));
    List<TensorSpec> inputs = manifest.models().get(BundleManifest.DIT).inputs();
    assertTrue(inputs.contains(new TensorSpec(ModelContract.TEXT_EMBEDDING, TensorSpec.FLOAT32, List.of(-1L, (long) TEXT_DIM))),
        inputs.toString());
    assertFalse(inputs.stream().anyMatch(s -> s.name().equals(ModelContract.CLASS)), inputs.toString());
    Conditioning conditioning = Conditioning.declaredBy(inputs);
    assertTrue(conditioning.textConditioned());
    assertEquals(TEXT_DIM, conditioning.textDim());

    BundleManifest classBundle = TestBundles.writeGenerator(tmp.resolve("class"));
    assertEquals(Conditioning.CLASS_ID, Conditioning.declaredBy(classBundle.models().get(BundleManifest.DIT).inputs()));
    assertEquals(ModelContract.of(BundleManifest.DIT, TinyModels.SIZE, TinyModels.LATENT),
        ModelContract.of(BundleManifest.DIT, TinyModels.SIZE, TinyModels.LATENT, Conditioning.CLASS_ID), "class is the default");
  }

  @Test
  void aTextEmbeddingThatIsNotOneVectorPerRowIsRefused() {
    OnnxGraph g = new OnnxGraph("tiny_text_dit");
    String latent = g.input(ModelContract.LATENT, TinyModels.CHANNELS, TinyModels.GRID, TinyModels.GRID);
    g.input(ModelContract.TIME);
    String text = g.input(ModelContract.TEXT_EMBEDDING, 2, 2);
    String bias = g.reshape(g.op("ReduceSum", List.of(g.reshape(text, 0, 4))), -1, 1, 1, 1);
    g.output(g.add(latent, bias), ModelContract.VELOCITY, TinyModels.CHANNELS, TinyModels.GRID, TinyModels.GRID);
    BundleException e = assertThrows(BundleException.class, () -> TestBundles.writeGenerator(tmp.resolve("never"), g));
    assertTrue(e.getMessage().contains("manifest.json field models.dit.inputs: input text_embedding must have shape"
        + " [batch, D] with D > 0, got [-1, 2, 2]"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("never")));
  }

  @Test
  void aTextDitWithAWrongLatentStillBreaksTheContract() {
    OnnxGraph g = new OnnxGraph("tiny_text_dit");
    String latent = g.input("x", TinyModels.CHANNELS, TinyModels.GRID, TinyModels.GRID);
    g.input(ModelContract.TIME);
    String text = g.input(ModelContract.TEXT_EMBEDDING, TEXT_DIM);
    g.output(g.add(latent, g.reshape(g.op("ReduceSum", List.of(text)), -1, 1, 1, 1)), ModelContract.VELOCITY,
        TinyModels.CHANNELS, TinyModels.GRID, TinyModels.GRID);
    BundleException e = assertThrows(BundleException.class, () -> TestBundles.writeGenerator(tmp.resolve("never"), g));
    assertTrue(e.getMessage().contains("expected [latent float32[-1, 2, 2, 2], t float32[-1], text_embedding float32[-1, " + TEXT_DIM + "]]"),
        e.getMessage());
  }

  /** velocity = latent + Σ text_embedding (per row): a real graph with the text DiT's signature. */
  private static OnnxGraph textDit(int dim) {
    OnnxGraph g = new OnnxGraph("tiny_text_dit");
    String latent = g.input(ModelContract.LATENT, TinyModels.CHANNELS, TinyModels.GRID, TinyModels.GRID);
    String t = g.input(ModelContract.TIME);
    String text = g.input(ModelContract.TEXT_EMBEDDING, dim);
    String bias = g.reshape(g.op("ReduceSum", List.of(text)), -1, 1, 1, 1);
    g.output(g.add(g.add(latent, bias), g.reshape(t, -1, 1, 1, 1)), ModelContract.VELOCITY, TinyModels.CHANNELS,
        TinyModels.GRID, TinyModels.GRID);
    return g;
  }
}
