package dev.aligntok.inference.bundle;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.manifest.BundleException;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.BundleManifest.ModelEntry;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import dev.aligntok.inference.manifest.BundleManifest.TextEncoderEntry;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.inference.manifest.TensorRtConfig;
import dev.aligntok.inference.runtime.Feed;
import dev.aligntok.inference.runtime.GenerationRuntime;
import dev.aligntok.inference.runtime.InferenceException;
import dev.aligntok.inference.runtime.OnnxModel;
import dev.aligntok.inference.runtime.PromptEmbedder;
import dev.aligntok.inference.runtime.ProviderSelection;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.SessionFactory;
import dev.aligntok.inference.runtime.TokenizerRuntime;
import dev.aligntok.inference.text.ClassCaption;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.inference.text.TextEncoderArtifact;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated model bundle: its manifest, one ONNX Runtime session per model (shared by all
 * threads), and the batch APIs over them. {@link #load} checks the files ({@link BundleFiles}), opens
 * the sessions on the first provider that works, checks that each graph's real inputs and outputs
 * are the ones the manifest declares, and runs the DiT once: a class DiT on class 0 and the null
 * class, a text DiT on the empty prompt's embedding. A text DiT's encoder is resolved from the
 * classpath by the manifest's {@code textEncoder} reference (both hashes checked against it) and
 * opened with the bundle. Anything wrong is a {@link BundleException} and no session stays open.
 */
public final class ModelBundle implements AutoCloseable {
  private final Path dir;
  private final BundleManifest manifest;
  private final TensorRtConfig tensorRt;
  private final ProviderSelection selection;
  private final Map<String, OnnxModel> models;
  private final TokenizerRuntime tokenizer;
  private final GenerationRuntime generation;
  /** Null unless the DiT is text-conditioned. */
  private final TextEncoder textEncoder;

  private ModelBundle(BundleFiles.Verified files, SessionFactory.Opened opened, TextEncoder textEncoder,
      ImageLimits limits) {
    this.dir = files.dir();
    this.manifest = files.manifest();
    this.tensorRt = files.tensorRt();
    this.selection = opened.selection();
    this.models = opened.models();
    this.textEncoder = textEncoder;
    Latent latent = manifest.latent();
    this.tokenizer = new TokenizerRuntime(models.get(BundleManifest.ENCODER), models.get(BundleManifest.DECODER),
        manifest.preprocessing().size(), latent, new ImageDecoder(limits));
    this.generation = manifest.hasDit()
        ? new GenerationRuntime(models.get(BundleManifest.DIT), tokenizer, latent, manifest.labels().vocabulary(),
            manifest.sampler(), textEncoder == null ? null : new EncoderPrompts(textEncoder))
        : null;
  }

  /** Loads with {@link RuntimeOptions#defaults()} (TensorRT → CUDA → CPU) and default image limits. */
  public static ModelBundle load(Path dir) {
    return load(dir, RuntimeOptions.defaults(), ImageLimits.DEFAULT);
  }

  /** @throws BundleException naming the directory, the file or field, and the problem */
  public static ModelBundle load(Path dir, RuntimeOptions options, ImageLimits limits) {
    BundleFiles.Verified files = BundleFiles.verify(dir);
    SessionFactory.Opened opened;
    try {
      Path defaultCache = Path.of(System.getProperty("java.io.tmpdir"), "aligntok-trt",
          files.manifest().id().substring("sha256:".length(), "sha256:".length() + 16));
      opened = new SessionFactory(options, files.tensorRt(), dir.toString(), defaultCache)
          .open(files.modelFiles(), files.manifest().models());
    } catch (IllegalStateException e) {
      throw new BundleException(dir, "models", e.getMessage(), e);
    }
    TextEncoder textEncoder = null;
    try {
      opened.models().forEach((role, model) -> checkSignature(dir, files.manifest().models().get(role), model));
      if (files.manifest().textConditioned()) {
        textEncoder = openTextEncoder(dir, files.manifest().textEncoder(), options);
        probeText(dir, files.manifest(), opened.models().get(BundleManifest.DIT), textEncoder);
      } else if (files.manifest().hasDit()) {
        probeClassRange(dir, files.manifest(), opened.models().get(BundleManifest.DIT));
      }
      return new ModelBundle(files, opened, textEncoder, limits);
    } catch (RuntimeException e) {
      opened.models().values().forEach(OnnxModel::close);
      if (textEncoder != null) {
        textEncoder.close();
      }
      throw e;
    }
  }

  /**
   * The encoder the manifest references, from the classpath: its model and tokenizer must be there
   * with the manifest's SHA-256, and it must give embeddings of the manifest's dimension.
   */
  private static TextEncoder openTextEncoder(Path dir, TextEncoderEntry entry, RuntimeOptions options) {
    TextEncoder encoder;
    try {
      encoder = TextEncoder.open(TextEncoderArtifact.referencedBy(entry), options);
    } catch (RuntimeException e) {
      // IllegalState/UncheckedIO from the artifact name the coordinates and the resource; keep their words.
      throw new BundleException(dir, "manifest.json field textEncoder (" + entry.coordinates() + ")",
          "cannot be resolved: " + e.getMessage(), e);
    }
    if (encoder.dimension() != entry.dimension()) {
      encoder.close();
      throw new BundleException(dir, "manifest.json field textEncoder.dimension", "is " + entry.dimension()
          + " but " + entry.coordinates() + " gives embeddings of " + encoder.dimension() + " floats");
    }
    return encoder;
  }

  /** A text DiT must evaluate on the null embedding (the empty prompt), as guidance will run it. */
  private static void probeText(Path dir, BundleManifest manifest, OnnxModel dit, TextEncoder encoder) {
    Latent latent = manifest.latent();
    float[] nullEmbedding = encoder.embed(List.of(""))[0];
    float[] conditions = new float[2 * nullEmbedding.length];
    System.arraycopy(nullEmbedding, 0, conditions, 0, nullEmbedding.length);
    System.arraycopy(nullEmbedding, 0, conditions, nullEmbedding.length, nullEmbedding.length);
    try {
      float[] v = dit.run(ModelContract.VELOCITY,
          Feed.floats(ModelContract.LATENT, new float[2 * latent.size()], 2, latent.channels(), latent.height(), latent.width()),
          Feed.floats(ModelContract.TIME, new float[] {0.5f, 0.5f}, 2),
          Feed.floats(ModelContract.TEXT_EMBEDDING, conditions, 2, nullEmbedding.length));
      checkVelocityCount(dir, manifest, v);
    } catch (InferenceException e) {
      throw new BundleException(dir, model(manifest), "cannot evaluate the empty prompt's text embedding of "
          + nullEmbedding.length + " floats (" + e.getMessage() + ")", e);
    }
  }

  private static void checkVelocityCount(Path dir, BundleManifest manifest, float[] v) {
    int expected = 2 * manifest.latent().size();
    if (v.length != expected) {
      throw new BundleException(dir, model(manifest), "returned " + v.length + " velocity values for 2 latents of "
          + manifest.latent().size());
    }
  }

  /** The text side of a {@link GenerationRuntime}: the bundle's encoder and the class-caption rule. */
  private record EncoderPrompts(TextEncoder encoder) implements PromptEmbedder {
    @Override
    public float[][] embed(List<String> prompts) {
      return encoder.embed(prompts);
    }

    @Override
    public String classCaption(String className) {
      return ClassCaption.of(className);
    }
  }

  public Path directory() {
    return dir;
  }

  public BundleManifest manifest() {
    return manifest;
  }

  /** {@code "sha256:..."}, to stamp on every output. */
  public String id() {
    return manifest.id();
  }

  public TensorRtConfig tensorRt() {
    return tensorRt;
  }

  /** The provider the sessions run on and why earlier ones were skipped (also logged once at load). */
  public ProviderSelection providerSelection() {
    return selection;
  }

  public TokenizerRuntime tokenizer() {
    return tokenizer;
  }

  /** @throws IllegalStateException for a tokenizer-only bundle */
  public GenerationRuntime generation() {
    if (generation == null) {
      throw new IllegalStateException("bundle " + dir + " is tokenizer-only (no dit): it cannot generate");
    }
    return generation;
  }

  public boolean canGenerate() {
    return generation != null;
  }

  /** Whether the DiT takes free text (a text encoder is open); false for class and tokenizer-only bundles. */
  public boolean textConditioned() {
    return textEncoder != null;
  }

  /**
   * The text encoder of a text bundle (for token counts or embeddings outside generation).
   *
   * @throws IllegalStateException for a class or tokenizer-only bundle
   */
  public TextEncoder textEncoder() {
    if (textEncoder == null) {
      throw new IllegalStateException("bundle " + dir + " is not text-conditioned: it has no text encoder");
    }
    return textEncoder;
  }

  @Override
  public void close() {
    models.values().forEach(OnnxModel::close);
    if (textEncoder != null) {
      textEncoder.close();
    }
  }

  private static void checkSignature(Path dir, ModelEntry declared, OnnxModel model) {
    compare(dir, model.file(), "inputs", declared.inputs(), model.inputs());
    compare(dir, model.file(), "outputs", declared.outputs(), model.outputs());
  }

  private static void compare(Path dir, String file, String what, List<TensorSpec> declared, List<TensorSpec> actual) {
    if (declared.size() != actual.size() || !new HashSet<>(declared).equals(new HashSet<>(actual))) {
      throw new BundleException(dir, file, "graph " + what + " are " + actual + " but the manifest declares " + declared);
    }
  }

  /**
   * The graph cannot tell us its class table size, so we run it: classes 0 and the null class must
   * both evaluate. A DiT trained with fewer classes than the manifest lists fails here (an embedding
   * lookup out of range) instead of on the first guided request.
   */
  private static void probeClassRange(Path dir, BundleManifest manifest, OnnxModel dit) {
    Latent latent = manifest.latent();
    int nullClass = manifest.labels().nullClass();
    try {
      float[] v = dit.run(ModelContract.VELOCITY,
          Feed.floats(ModelContract.LATENT, new float[2 * latent.size()], 2, latent.channels(), latent.height(), latent.width()),
          Feed.floats(ModelContract.TIME, new float[] {0.5f, 0.5f}, 2),
          Feed.longs(ModelContract.CLASS, new long[] {0, nullClass}, 2));
      checkVelocityCount(dir, manifest, v);
    } catch (InferenceException e) {
      throw new BundleException(dir, model(manifest), "cannot evaluate class ids 0 and " + nullClass
          + " (the null class for " + manifest.labels().names().size() + " labels): the dit's class range does not match"
          + " the manifest's labels (" + e.getMessage() + ")", e);
    }
  }

  private static String model(BundleManifest manifest) {
    return manifest.models().get(BundleManifest.DIT).file();
  }
}
