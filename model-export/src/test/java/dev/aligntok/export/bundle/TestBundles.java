package dev.aligntok.export.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.manifest.BundleJson;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.ContentHash;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.inference.text.TextEncoderArtifact;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes tiny bundles, and edits written ones the way a buggy exporter or a hand edit would. Public,
 * and shipped in model-export's test-jar, for other modules' tests.
 */
public final class TestBundles {
  public static final SamplerSettings SAMPLER = new SamplerSettings(6, Solver.HEUN, 2f, 3f, 0.1f, 0.9f);
  /** all-MiniLM-L6-v2's embedding width. */
  public static final int TEXT_DIM = 384;

  private TestBundles() {}

  /** A complete bundle (encoder, decoder, dit) of {@link TinyModels}. */
  public static BundleManifest writeGenerator(Path dir) throws IOException {
    return writeGenerator(dir, TinyModels.dit());
  }

  /** The same models under another name: a bundle with another id (as a re-export would have). */
  public static BundleManifest writeGenerator(Path dir, String name) throws IOException {
    return writeGenerator(dir, name, TinyModels.dit());
  }

  public static BundleManifest writeGenerator(Path dir, OnnxGraph dit) throws IOException {
    return writeGenerator(dir, "tiny", dit);
  }

  /** A text bundle: {@link TinyModels#textDit} of the project's text encoder's width, which it references. */
  public static BundleManifest writeTextGenerator(Path dir) throws IOException {
    return writeTextGenerator(dir, TinyModels.textDit(TEXT_DIM));
  }

  /** A bundle of a text {@code dit}, referencing the project's text encoder. */
  public static BundleManifest writeTextGenerator(Path dir, OnnxGraph dit) throws IOException {
    return generator("tiny-text", dit).textEncoder(TextEncoderArtifact.MINILM_L6_V2_Q.manifestEntry(TEXT_DIM)).write(dir);
  }

  private static BundleManifest writeGenerator(Path dir, String name, OnnxGraph dit) throws IOException {
    return generator(name, dit).write(dir);
  }

  private static BundleWriter generator(String name, OnnxGraph dit) {
    LabelVocabulary.Builder labels = LabelVocabulary.builder();
    TinyModels.LABELS.forEach(labels::add);
    labels.addSynonym("owl", "night bird");
    return new BundleWriter(name)
        .createdAt(Instant.parse("2026-11-29T00:00:00Z"))
        .tokenizer(TinyModels.encoder(), TinyModels.decoder(), TinyModels.SIZE, TinyModels.LATENT)
        .tokenizerSource(Path.of("runs/tok/checkpoints/step-100"), "ab".repeat(32))
        .dit(dit, labels.build(), SAMPLER)
        .ditSource(Path.of("runs/dit/checkpoints/step-200"), "cd".repeat(32))
        .metric("rFID", 12.5);
  }

  public static BundleManifest writeTokenizerOnly(Path dir) throws IOException {
    return new BundleWriter("tiny-tokenizer")
        .tokenizer(TinyModels.encoder(), TinyModels.decoder(), TinyModels.SIZE, TinyModels.LATENT)
        .tokenizerSource(Path.of("runs/tok/checkpoints/step-100"), "ab".repeat(32))
        .write(dir);
  }

  /** Edits manifest.json and recomputes the id, as a writer with a bug would produce it. */
  public static void editAndResign(Path dir, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode manifest = (ObjectNode) readManifest(dir);
    edit.accept(manifest);
    resign(dir, manifest);
  }

  /** Replaces a model file, updates its sha256 in the manifest, and recomputes the id. */
  public static void replaceModel(Path dir, String role, byte[] onnx) throws IOException {
    ObjectNode manifest = (ObjectNode) readManifest(dir);
    ObjectNode entry = (ObjectNode) manifest.path("models").path(role);
    Files.write(dir.resolve(entry.path("file").asText()), onnx);
    entry.put("sha256", Sha256.of(onnx));
    resign(dir, manifest);
  }

  public static JsonNode readManifest(Path dir) throws IOException {
    return BundleJson.mapper().readTree(dir.resolve(BundleManifest.MANIFEST_FILE).toFile());
  }

  private static void resign(Path dir, ObjectNode manifest) throws IOException {
    Map<String, String> hashes = new HashMap<>();
    manifest.path("models").forEach(entry -> hashes.put(entry.path("file").asText(), entry.path("sha256").asText()));
    hashes.put(manifest.path("tensorrt").path("file").asText(), manifest.path("tensorrt").path("sha256").asText());
    manifest.put("id", ContentHash.bundleId(manifest, hashes));
    BundleJson.mapper().writeValue(dir.resolve(BundleManifest.MANIFEST_FILE).toFile(), manifest);
  }
}
