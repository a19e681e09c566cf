package dev.aligntok.stream.runtime;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream app's models: one loaded {@link ModelBundle} behind the topologies' ports, with hot
 * reload. {@link #reload} loads and validates a new bundle off to the side and swaps it in at once;
 * a batch already running finishes on the bundle it started with, which is closed after it. Every
 * result names the bundle that computed it.
 */
public final class BundleModels implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BundleModels.class);

  private final RuntimeOptions options;
  private final BundleSlot slot;
  private final LatentEncoderPort encoder;
  private final ImageGeneratorPort generator;

  private BundleModels(RuntimeOptions options, ModelBundle first) {
    this.options = options;
    this.slot = new BundleSlot(first);
    this.encoder = new BundleEncoder(slot);
    this.generator = new BundleGenerator(slot);
  }

  /** Loads with {@link RuntimeOptions#defaults()} (TensorRT → CUDA → CPU). */
  public static BundleModels load(Path dir) {
    return load(dir, RuntimeOptions.defaults());
  }

  /**
   * @param options providers and threads, also used for every reloaded bundle
   * @throws dev.aligntok.inference.manifest.BundleException when the bundle fails validation
   */
  public static BundleModels load(Path dir, RuntimeOptions options) {
    ModelBundle bundle = open(dir, options);
    log.info("Serving model bundle {} from {} ({})", bundle.id(), dir, bundle.canGenerate()
        ? "encode and generate, " + (BundleGenerator.acceptsFreeText(bundle) ? "free-text prompts" : "class prompts")
        : "encode only");
    return new BundleModels(options, bundle);
  }

  /** Id of the bundle in service now. */
  public String bundleId() {
    return slot.peek().id();
  }

  /** Execution provider the bundle in service runs on (TENSORRT, CUDA or CPU). */
  public String provider() {
    return slot.peek().providerSelection().provider().name();
  }

  /** Whether the bundle in service can generate (has a DiT). Reloads keep this true once it is. */
  public boolean canGenerate() {
    return slot.peek().canGenerate();
  }

  /** Whether the bundle in service takes free-text prompts (text-conditioned) rather than class names. */
  public boolean acceptsFreeText() {
    return BundleGenerator.acceptsFreeText(slot.peek());
  }

  /**
   * The latent the bundle in service makes of any image (each is resized to its input first).
   *
   * @param shape channels, height, width
   * @param bundleId the bundle it comes from (read together: a hot reload may change both)
   */
  public record LatentLayout(List<Integer> shape, String bundleId) {}

  /** What the latent of an image tokenized now looks like. */
  public LatentLayout latentLayout() {
    ModelBundle bundle = slot.peek();
    BundleManifest.Latent latent = bundle.tokenizer().latent();
    return new LatentLayout(List.of(latent.channels(), latent.height(), latent.width()), bundle.id());
  }

  public LatentEncoderPort encoder() {
    return encoder;
  }

  /** @throws IllegalStateException when the bundle in service is tokenizer-only */
  public ImageGeneratorPort generator() {
    if (!canGenerate()) {
      throw new IllegalStateException("bundle " + bundleId() + " (" + slot.peek().directory()
          + ") is tokenizer-only: it cannot serve the generate topology");
    }
    return generator;
  }

  /**
   * Loads and validates {@code dir}, then makes it the bundle in service; batches that already
   * started finish on the old bundle, which is closed after them. Reloads run one at a time.
   *
   * @return the new bundle's id
   * @throws BundleRejectedException when the bundle fails validation, or cannot generate while the
   *     one in service can (the generate topology would lose its model); the old bundle stays
   */
  public synchronized String reload(Path dir) {
    ModelBundle serving = slot.peek();
    ModelBundle next;
    try {
      next = open(dir, options);
    } catch (RuntimeException e) {
      log.warn("Rejected model bundle {}: {}; still serving {}", dir, e.getMessage(), serving.id());
      throw new BundleRejectedException(dir, serving.id(), e.getMessage(), e);
    }
    if (serving.canGenerate() && !next.canGenerate()) {
      next.close();
      log.warn("Rejected model bundle {}: tokenizer-only; still serving {}", dir, serving.id());
      throw new BundleRejectedException(dir, serving.id(),
          "it is tokenizer-only (no dit) but the bundle in service generates", null);
    }
    ModelBundle old = slot.swap(next);
    log.info("Swapped model bundle {} ({}) for {} ({}); the old one closes after its running batches",
        old.id(), old.directory(), next.id(), dir);
    if (BundleGenerator.acceptsFreeText(old) != BundleGenerator.acceptsFreeText(next)) {
      // Queued requests are validated again against the new bundle when their batch runs.
      log.warn("Model bundle {} takes {} where {} took {}: queued requests the new kind cannot serve will fail",
          next.id(), BundleGenerator.acceptsFreeText(next) ? "free text" : "class names only", old.id(),
          BundleGenerator.acceptsFreeText(old) ? "free text" : "class names only");
    }
    return next.id();
  }

  /** Closes the bundle once running batches finish; the ports fail afterwards. */
  @Override
  public void close() {
    slot.close();
  }

  private static ModelBundle open(Path dir, RuntimeOptions options) {
    // Images reach the ports already decoded (the topology checked the limits), so the bundle's own
    // decoder limits never apply here.
    return ModelBundle.load(dir, options, ImageLimits.DEFAULT);
  }
}
