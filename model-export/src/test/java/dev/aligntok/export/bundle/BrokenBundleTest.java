package dev.aligntok.export.bundle;

import static dev.aligntok.export.bundle.BundleRuntimeTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.manifest.BundleException;
import dev.aligntok.inference.manifest.BundleJson;
import dev.aligntok.inference.text.TextEncoderArtifact;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One kind of broken bundle per test: each is refused, and the message names the directory, the place and the problem. */
class BrokenBundleTest {
  private static final RuntimeOptions CPU = RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1);

  private static final TextEncoderArtifact MINILM = TextEncoderArtifact.MINILM_L6_V2_Q;

  @TempDir Path tmp;
  Path dir;

  @BeforeEach
  void writeAGoodBundle() throws Exception {
    dir = tmp.resolve("bundle");
    TestBundles.writeGenerator(dir);
  }

  @Test
  void theGoodBundleLoads() {
    try (ModelBundle bundle = load()) {
      assertTrue(bundle.canGenerate());
    }
  }

  @Test
  void missingManifest() throws Exception {
    Files.delete(dir.resolve("manifest.json"));
    assertRefused("manifest.json: missing");
  }

  @Test
  void manifestThatIsNotJson() throws Exception {
    Files.writeString(dir.resolve("manifest.json"), "{\"format\": \"aligntok-bundle\",");
    assertRefused("manifest.json: is not valid JSON");
  }

  @Test
  void unknownFormatVersion() throws Exception {
    TestBundles.editAndResign(dir, m -> m.put("formatVersion", 2));
    assertRefused("manifest.json field formatVersion: is 2, this runtime reads only version 1");
  }

  @Test
  void missingModelFile() throws Exception {
    Files.delete(dir.resolve("decoder.onnx"));
    assertRefused("decoder.onnx: missing (declared by manifest.json field models.decoder)");
  }

  @Test
  void modelFileWhoseHashDoesNotMatch() throws Exception {
    Files.write(dir.resolve("dit.onnx"), new byte[] {0}, StandardOpenOption.APPEND);
    assertRefused("dit.onnx: sha256 is ");
    assertRefused("but manifest.json field models.dit.sha256 says");
  }

  @Test
  void manifestEditedWithoutANewId() throws Exception {
    ObjectNode manifest = (ObjectNode) TestBundles.readManifest(dir);
    manifest.put("name", "renamed by hand");
    Files.writeString(dir.resolve("manifest.json"), manifest.toPrettyString());
    assertRefused("manifest.json field id: is 'sha256:");
    assertRefused("the manifest or a file was changed after export");
  }

  @Test
  void ditWhoseInputNameDiffersFromTheManifest() throws Exception {
    TestBundles.replaceModel(dir, "dit", TinyModels.dit(TinyModels.LABELS.size(), "x").toBytes());
    assertRefused("dit.onnx: graph inputs are [x float32[-1, 2, 2, 2], t float32[-1], class int64[-1]]"
        + " but the manifest declares [latent float32[-1, 2, 2, 2]");
  }

  @Test
  void writerRefusesAGraphThatBreaksTheModelContract() {
    BundleException e = assertMessage(BundleException.class, "manifest.json field models.dit.inputs: expected [latent",
        () -> TestBundles.writeGenerator(tmp.resolve("never-written"), TinyModels.dit(TinyModels.LABELS.size(), "x")));
    assertTrue(e.getMessage().contains("manifest declares [x float32"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("never-written")));
  }

  @Test
  void encoderWhoseImageShapeDiffersFromTheManifest() throws Exception {
    TestBundles.replaceModel(dir, "encoder", TinyModels.encoder(16).toBytes());
    assertRefused("encoder.onnx: graph inputs are [image float32[-1, 3, 16, 16]] but the manifest declares"
        + " [image float32[-1, 3, 8, 8]]");
  }

  @Test
  void manifestShapeThatBreaksTheContract() throws Exception {
    TestBundles.editAndResign(dir, m -> {
      ArrayNode shape = (ArrayNode) m.path("models").path("encoder").path("outputs").path(0).path("shape");
      shape.set(2, 4);
    });
    assertRefused("manifest.json field models.encoder.outputs: expected [latent float32[-1, 2, 2, 2]]");
  }

  @Test
  void latentStatisticsOfTheWrongLength() throws Exception {
    TestBundles.editAndResign(dir, m -> ((ArrayNode) m.path("latent").path("std")).remove(1));
    assertRefused("manifest.json field latent.std: has 1 values but latent.channels is 2");
  }

  @Test
  void moreLabelsThanTheDitHasClasses() throws Exception {
    TestBundles.editAndResign(dir, m -> {
      ((ArrayNode) m.path("labels").path("names")).add("emu");
      ((ObjectNode) m.path("labels")).put("nullClass", 4);
    });
    assertRefused("dit.onnx: cannot evaluate class ids 0 and 4 (the null class for 4 labels): the dit's class range"
        + " does not match the manifest's labels");
  }

  @Test
  void nullClassThatIsNotTheLabelCount() throws Exception {
    TestBundles.editAndResign(dir, m -> ((ObjectNode) m.path("labels")).put("nullClass", 2));
    assertRefused("manifest.json field labels.nullClass: must equal the number of labels (3), got 2");
  }

  @Test
  void samplerDefaultsOutOfRange() throws Exception {
    TestBundles.editAndResign(dir, m -> ((ObjectNode) m.path("sampler")).put("steps", 0));
    assertRefused("manifest.json field sampler: steps must be in [1, 1000], got 0");
  }

  @Test
  void tensorRtConfigWithoutAProfileForAModel() throws Exception {
    Path trt = dir.resolve("tensorrt.json");
    String edited = Files.readString(trt).replace("\"dit\"", "\"ditto\"");
    Files.writeString(trt, edited);
    TestBundles.editAndResign(dir, m -> ((ObjectNode) m.path("tensorrt"))
        .put("sha256", dev.aligntok.inference.io.Sha256.of(edited.getBytes(StandardCharsets.UTF_8))));
    assertRefused("tensorrt.json: no batch profile for model 'dit'");
  }

  @Test
  void sourceWithoutTheDitCheckpointHash() throws Exception {
    TestBundles.editAndResign(dir, m -> ((ObjectNode) m.path("source").path("dit")).remove("weightsSha256"));
    assertRefused("manifest.json field source.dit.weightsSha256: must be 64 lower-case hex digits, got 'null'");
  }

  @Test
  void textDitWithoutItsTextEncoderEntry() throws Exception {
    textBundle(m -> m.remove("textEncoder"));
    assertRefused("manifest.json field textEncoder: missing, but the dit takes text_embedding");
  }

  @Test
  void textEncoderModelWhoseHashDiffersFromTheClasspath() throws Exception {
    textBundle(m -> ((ObjectNode) m.path("textEncoder").path("model")).put("sha256", "0".repeat(64)));
    assertRefused("manifest.json field textEncoder (" + MINILM.coordinates() + "): cannot be resolved");
    assertRefused("resource all-minilm-l6-v2-q.onnx has SHA-256 " + MINILM.modelSha256() + ", expected " + "0".repeat(64));
  }

  @Test
  void textEncoderTokenizerWhoseHashDiffersFromTheClasspath() throws Exception {
    textBundle(m -> ((ObjectNode) m.path("textEncoder").path("tokenizer")).put("sha256", "1".repeat(64)));
    assertRefused("resource all-minilm-l6-v2-q-tokenizer.json has SHA-256 " + MINILM.tokenizerSha256() + ", expected "
        + "1".repeat(64));
  }

  @Test
  void textEncoderThatIsNotOnTheClasspath() throws Exception {
    textBundle(m -> {
      ObjectNode entry = (ObjectNode) m.path("textEncoder");
      entry.put("coordinates", "dev.langchain4j:langchain4j-embeddings-bge-small-en-q:1.0.0");
      ((ObjectNode) entry.path("tokenizer")).put("resource", "bge-small-en-q-tokenizer.json");
    });
    assertRefused("manifest.json field textEncoder (dev.langchain4j:langchain4j-embeddings-bge-small-en-q:1.0.0): cannot be"
        + " resolved: text encoder dev.langchain4j:langchain4j-embeddings-bge-small-en-q:1.0.0: resource"
        + " bge-small-en-q-tokenizer.json is not on the classpath");
  }

  @Test
  void textEncoderDimensionThatIsNotTheDitsWidth() throws Exception {
    textBundle(m -> ((ObjectNode) m.path("textEncoder")).put("dimension", 383));
    assertRefused("manifest.json field textEncoder.dimension: is 383 but the dit's text_embedding input takes 384 floats");
  }

  @Test
  void classDitWithATextEncoderEntry() throws Exception {
    TestBundles.editAndResign(dir, m -> m.set("textEncoder",
        BundleJson.mapper().valueToTree(MINILM.manifestEntry(TestBundles.TEXT_DIM))));
    assertRefused("manifest.json field textEncoder: present, but the dit is conditioned on class ids");
  }

  @Test
  void theGoodTextBundleLoads() throws Exception {
    textBundle(m -> { });
    try (ModelBundle bundle = load()) {
      assertTrue(bundle.textConditioned());
    }
  }

  /** Replaces the class bundle under test by a text bundle, edited and re-signed. */
  private void textBundle(java.util.function.Consumer<ObjectNode> edit) throws Exception {
    dev.aligntok.inference.io.Directories.deleteRecursively(dir);
    TestBundles.writeTextGenerator(dir);
    TestBundles.editAndResign(dir, edit);
  }

  private void assertRefused(String fragment) {
    BundleException e = assertMessage(BundleException.class, fragment, this::load);
    assertTrue(e.getMessage().startsWith("bundle " + dir + ": "), e.getMessage());
    assertEquals(dir, e.directory());
  }

  private ModelBundle load() {
    return ModelBundle.load(dir, CPU, ImageLimits.DEFAULT);
  }
}
