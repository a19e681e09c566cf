package dev.aligntok.inference.bundle;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.manifest.BundleException;
import dev.aligntok.inference.manifest.BundleFiles;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.BundleManifest.ModelEntry;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.inference.manifest.TensorRtConfig;
import dev.aligntok.inference.runtime.Feed;
import dev.aligntok.inference.runtime.GenerationRuntime;
import dev.aligntok.inference.runtime.InferenceException;
import dev.aligntok.inference.runtime.OnnxModel;
import dev.aligntok.inference.runtime.ProviderSelection;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.SessionFactory;
import dev.aligntok.inference.runtime.TokenizerRuntime;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * A loaded, validated model bundle: its manifest, one ONNX Runtime session per model (shared by all
 * threads), and the batch APIs over them. {@link #load} checks the files ({@link BundleFiles}), opens
 * the sessions on the first provider that works, checks that each graph's real inputs and outputs
 * are the ones the manifest declares, and runs the DiT once on class 0 and the null class. Anything
 * wrong is a {@link BundleException} and no session stays open.
 */
public final class ModelBundle implements AutoCloseable {
  private final Path dir;
  private final BundleManifest manifest;
  private final TensorRtConfig tensorRt;
  private final ProviderSelection selection;
  private final Map<String, OnnxModel> models;
  private final TokenizerRuntime tokenizer;
  private final GenerationRuntime generation;

  private ModelBundle(BundleFiles.Verified files, SessionFactory.Opened opened, ImageLimits limits) {
    this.dir = files.dir();
    this.manifest = files.manifest();
    this.tensorRt = files.tensorRt();
    this.selection = opened.selection();
    this.models = opened.models();
    Latent latent = manifest.latent();
    this.tokenizer = new TokenizerRuntime(models.get(BundleManifest.ENCODER), models.get(BundleManifest.DECODER),
        manifest.preprocessing().size(), latent, new ImageDecoder(limits));
    this.generation = manifest.hasDit()
        ? new GenerationRuntime(models.get(BundleManifest.DIT), tokenizer, latent, manifest.labels().vocabulary(),
            manifest.sampler())
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
    try {
      opened.models().forEach((role, model) -> checkSignature(dir, files.manifest().models().get(role), model));
      if (files.manifest().hasDit()) {
        probeClassRange(dir, files.manifest(), opened.models().get(BundleManifest.DIT));
      }
      return new ModelBundle(files, opened, limits);
    } catch (RuntimeException e) {
      opened.models().values().forEach(OnnxModel::close);
      throw e;
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

  @Override
  public void close() {
    models.values().forEach(OnnxModel::close);
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
      if (v.length != 2 * latent.size()) {
        throw new BundleException(dir, model(manifest), "returned " + v.length + " velocity values for 2 latents of "
            + latent.size());
      }
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
