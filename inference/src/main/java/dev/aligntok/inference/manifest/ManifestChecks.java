package dev.aligntok.inference.manifest;

import dev.aligntok.inference.manifest.BundleManifest.Checkpoint;
import dev.aligntok.inference.manifest.BundleManifest.Labels;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.BundleManifest.ModelEntry;
import dev.aligntok.inference.manifest.BundleManifest.Preprocessing;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import dev.aligntok.inference.manifest.BundleManifest.TextEncoderEntry;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything about a manifest that can be checked without opening a file: required sections,
 * consistent sizes, the {@link ModelContract}. Shared by the writer (refuse to write a broken bundle)
 * and the loader (refuse to load one).
 */
public final class ManifestChecks {
  private static final Set<String> ROLES = Set.of(BundleManifest.ENCODER, BundleManifest.DECODER, BundleManifest.DIT);

  private final Path dir;

  private ManifestChecks(Path dir) {
    this.dir = dir;
  }

  /** @throws BundleException naming {@code dir}, the field and the problem */
  public static void check(BundleManifest manifest, Path dir) {
    new ManifestChecks(dir).all(manifest);
  }

  private void all(BundleManifest m) {
    require(m.name() != null && !m.name().isBlank(), "name", "must not be blank");
    require(m.models() != null, "models", "missing");
    require(m.models().containsKey(BundleManifest.ENCODER), "models", "no encoder (every bundle has encoder and decoder)");
    require(m.models().containsKey(BundleManifest.DECODER), "models", "no decoder (every bundle has encoder and decoder)");
    for (String role : m.models().keySet()) {
      require(ROLES.contains(role), "models." + role, "unknown model role (known: encoder, decoder, dit)");
    }
    require(m.tensorrt() != null, "tensorrt", "missing (the tensorrt.json entry)");
    fileName(m.tensorrt().file(), "tensorrt.file");
    sha256(m.tensorrt().sha256(), "tensorrt.sha256");
    source(m);
    preprocessing(m.preprocessing());
    latent(m.latent());
    m.models().forEach((role, entry) -> model(role, entry, m));
    if (m.hasDit()) {
      require(m.labels() != null, "labels", "missing, but the bundle has a dit");
      require(m.sampler() != null, "sampler", "missing, but the bundle has a dit");
      labels(m.labels());
      textEncoder(m);
    } else {
      require(m.labels() == null && m.sampler() == null, "labels/sampler", "present, but the bundle has no dit");
      require(m.textEncoder() == null, "textEncoder", "present, but the bundle has no dit");
    }
  }

  /** A text DiT names its text encoder, whose width is the DiT's text_embedding width; a class DiT names none. */
  private void textEncoder(BundleManifest m) {
    TextEncoderEntry entry = m.textEncoder();
    ModelContract.Conditioning conditioning = ModelContract.Conditioning.declaredBy(m.models().get(BundleManifest.DIT).inputs());
    if (!conditioning.textConditioned()) {
      require(entry == null, "textEncoder", "present, but the dit is conditioned on class ids (it takes no text embedding)");
      return;
    }
    require(entry != null, "textEncoder", "missing, but the dit takes " + ModelContract.TEXT_EMBEDDING
        + " (a text dit names the encoder of its embeddings: Maven coordinates, model and tokenizer SHA-256, dimension)");
    require(entry.coordinates() != null && entry.coordinates().matches("[\\w.-]+:[\\w.-]+:[\\w.-]+"),
        "textEncoder.coordinates", "must be groupId:artifactId:version, got '" + bounded(entry.coordinates()) + "'");
    resource(entry.model(), "textEncoder.model");
    resource(entry.tokenizer(), "textEncoder.tokenizer");
    require(entry.dimension() == conditioning.textDim(), "textEncoder.dimension", "is " + entry.dimension()
        + " but the dit's " + ModelContract.TEXT_EMBEDDING + " input takes " + conditioning.textDim() + " floats");
  }

  private void resource(BundleManifest.Resource resource, String field) {
    require(resource != null, field, "missing");
    require(resource.resource() != null && !resource.resource().isBlank(), field + ".resource", "missing");
    sha256(resource.sha256(), field + ".sha256");
  }

  /** Manifest text in a message, cut so a hand-edited manifest cannot make the message unbounded. */
  private static String bounded(String text) {
    return text == null || text.length() <= 120 ? text : text.substring(0, 120) + "…";
  }

  private void source(BundleManifest m) {
    require(m.source() != null, "source", "missing (the checkpoints the models were exported from)");
    checkpoint(m.source().tokenizer(), "source.tokenizer");
    if (m.hasDit()) {
      checkpoint(m.source().dit(), "source.dit");
    }
  }

  private void checkpoint(Checkpoint checkpoint, String field) {
    require(checkpoint != null, field, "missing");
    require(checkpoint.path() != null && !checkpoint.path().isBlank(), field + ".path", "missing");
    sha256(checkpoint.weightsSha256(), field + ".weightsSha256");
  }

  private void sha256(String hex, String field) {
    require(hex != null && hex.matches("[0-9a-f]{64}"), field, "must be 64 lower-case hex digits, got '" + hex + "'");
  }

  private void preprocessing(Preprocessing p) {
    require(p != null, "preprocessing", "missing");
    require(p.size() > 0, "preprocessing.size", "must be > 0, got " + p.size());
    require(p.channels() == 3, "preprocessing.channels", "must be 3 (RGB), got " + p.channels());
    require(Preprocessing.ALPHA_ON_WHITE.equals(p.alpha()), "preprocessing.alpha",
        "unsupported policy '" + p.alpha() + "' (this runtime implements '" + Preprocessing.ALPHA_ON_WHITE + "')");
    require(Preprocessing.RESIZE_POLICY.equals(p.resize()), "preprocessing.resize",
        "unsupported policy '" + p.resize() + "' (this runtime implements '" + Preprocessing.RESIZE_POLICY + "')");
  }

  private void latent(Latent l) {
    require(l != null, "latent", "missing");
    require(l.channels() > 0 && l.height() > 0 && l.width() > 0, "latent",
        "channels, height and width must be > 0, got " + l.channels() + "x" + l.height() + "x" + l.width());
    stats(l.mean(), "latent.mean", l.channels(), false);
    stats(l.std(), "latent.std", l.channels(), true);
  }

  private void stats(List<Float> values, String field, int channels, boolean positive) {
    require(values != null, field, "missing");
    require(values.size() == channels, field, "has " + values.size() + " values but latent.channels is " + channels);
    for (int c = 0; c < values.size(); c++) {
      Float v = values.get(c);
      require(v != null && Float.isFinite(v) && (!positive || v > 0), field,
          "channel " + c + " is " + v + " (must be finite" + (positive ? " and > 0)" : ")"));
    }
  }

  private void labels(Labels labels) {
    require(labels.names() != null && !labels.names().isEmpty(), "labels.names", "must list at least one label");
    require(labels.nullClass() == labels.names().size(), "labels.nullClass",
        "must equal the number of labels (" + labels.names().size() + "), got " + labels.nullClass());
    try {
      labels.vocabulary();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new BundleException(dir, "labels", e.getMessage(), e);
    }
  }

  private void model(String role, ModelEntry entry, BundleManifest m) {
    String field = "models." + role;
    require(entry != null, field, "missing");
    fileName(entry.file(), field + ".file");
    sha256(entry.sha256(), field + ".sha256");
    ModelContract.Signature expected = ModelContract.of(role, m.preprocessing().size(), m.latent(), conditioning(role, entry, field));
    signature(field + ".inputs", expected.inputs(), entry.inputs());
    signature(field + ".outputs", expected.outputs(), entry.outputs());
  }

  /** A DiT's conditioning as its inputs declare it (class id or text embedding); the other roles have none. */
  private ModelContract.Conditioning conditioning(String role, ModelEntry entry, String field) {
    if (!BundleManifest.DIT.equals(role)) {
      return ModelContract.Conditioning.CLASS_ID;
    }
    try {
      return ModelContract.Conditioning.declaredBy(entry.inputs());
    } catch (IllegalArgumentException e) {
      throw new BundleException(dir, "manifest.json field " + field + ".inputs", e.getMessage(), e);
    }
  }

  private void signature(String field, List<TensorSpec> expected, List<TensorSpec> declared) {
    require(declared != null, field, "missing");
    require(new HashSet<>(declared).equals(new HashSet<>(expected)) && declared.size() == expected.size(), field,
        "expected " + expected + " (from the model contract, preprocessing and latent), manifest declares " + declared);
  }

  private void fileName(String file, String field) {
    require(file != null && !file.isBlank(), field, "missing");
    require(!file.contains("/") && !file.contains("\\") && !file.startsWith("."), field,
        "must be a plain file name inside the bundle, got '" + file + "'");
  }

  private void require(boolean ok, String field, String problem) {
    if (!ok) {
      throw new BundleException(dir, "manifest.json field " + field, problem);
    }
  }
}
