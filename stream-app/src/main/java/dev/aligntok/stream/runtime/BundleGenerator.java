package dev.aligntok.stream.runtime;

import dev.aligntok.inference.bundle.BundleManifest.Latent;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.runtime.GeneratedImage;
import dev.aligntok.inference.runtime.GenerationRequest;
import dev.aligntok.inference.runtime.GenerationRuntime;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GeneratedSample;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentTensor;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The generate topology's generator: the leased bundle's GenerationRuntime. Image i of a request is
 * the runtime's image for seed {@code seed + i} on noise stream 0, so the seed on each GeneratedImage
 * alone reproduces it (a one-image request with that seed gives the same pixels).
 */
final class BundleGenerator implements ImageGeneratorPort {
  private static final long NOISE_STREAM = 0;

  private final BundleSlot slot;

  BundleGenerator(BundleSlot slot) {
    this.slot = slot;
  }

  @Override
  public String bundleId() {
    return slot.peek().id();
  }

  @Override
  public LabelVocabulary labels() {
    return slot.peek().generation().vocabulary();
  }

  @Override
  public SamplerSettings defaultSettings() {
    return slot.peek().generation().defaults();
  }

  @Override
  public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    try (BundleSlot.Lease lease = slot.lease()) {
      ModelBundle bundle = lease.bundle();
      GenerationRuntime runtime = bundle.generation();
      List<GenerationRequest> flat = new ArrayList<>();
      for (ValidatedGeneration request : requests) {
        checkClass(bundle, runtime.vocabulary(), request);
        for (int i = 0; i < request.count(); i++) {
          flat.add(GenerationRequest.ofClass(request.classId(), request.seedOf(i), NOISE_STREAM)
              .withSettings(request.settings()));
        }
      }
      long started = System.nanoTime();
      List<GeneratedImage> images = runtime.generate(flat);
      double sampleAndDecodeMs = (System.nanoTime() - started) / 1e6;

      started = System.nanoTime();
      List<List<GeneratedSample>> samples = new ArrayList<>(requests.size());
      int next = 0;
      for (ValidatedGeneration request : requests) {
        List<GeneratedSample> own = new ArrayList<>(request.count());
        for (int i = 0; i < request.count(); i++) {
          own.add(sample(bundle, request, i, images.get(next++)));
        }
        samples.add(own);
      }
      double pngMs = (System.nanoTime() - started) / 1e6;
      return new GenerationBatchResult(bundle.id(), samples, Map.of("sampleAndDecode", sampleAndDecodeMs, "png", pngMs));
    }
  }

  /**
   * A request is validated against the bundle in service when it is admitted; if a reload swapped
   * in a bundle whose class at that id differs, running it would draw the wrong class.
   */
  private static void checkClass(ModelBundle bundle, LabelVocabulary labels, ValidatedGeneration request) {
    int id = request.classId();
    if (id < 0 || id >= labels.size() || !labels.name(id).equals(request.className())) {
      throw new IllegalStateException("request " + request.requestId() + " was validated for class '"
          + request.className() + "' (id " + id + "), which bundle " + bundle.id() + " does not have at that id;"
          + " the bundle was reloaded after the request was admitted");
    }
  }

  private static GeneratedSample sample(ModelBundle bundle, ValidatedGeneration request, int index, GeneratedImage image) {
    int size = image.images().size();
    Latent latent = bundle.manifest().latent();
    LatentTensor tensor = request.returnLatents()
        ? new LatentTensor(new int[] {latent.channels(), latent.height(), latent.width()}, image.latent())
        : null;
    return new GeneratedSample(request.seedOf(index), image.png(), size, size, tensor);
  }
}
