package dev.aligntok.stream.runtime;

import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.runtime.SampledImage;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.runtime.GenerationRuntime;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GeneratedSample;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.GenerationRun;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentTensor;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The generate topology's generator: the leased bundle's GenerationRuntime. Image i of a request is
 * the runtime's image for seed {@code seed + i} on noise stream 0, so the seed on each SampledImage
 * alone reproduces it (a one-image request with that seed gives the same pixels). A batch is one
 * runtime call, never split per request: on a text bundle the runtime embeds all its prompts at once.
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
  public boolean acceptsFreeText() {
    return acceptsFreeText(slot.peek());
  }

  /**
   * The one place that decides whether a bundle takes free-text prompts (a text-conditioned DiT);
   * every port, lease and guard of the stream app asks here.
   */
  static boolean acceptsFreeText(ModelBundle bundle) {
    return bundle.textConditioned();
  }

  @Override
  public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    try (BundleSlot.Lease lease = slot.lease()) {
      return generate(lease.bundle(), requests, id -> false);
    }
  }

  /** The bundle in service now, held open (and kept from closing by a reload) until the lease closes. */
  @Override
  public Lease lease() {
    BundleSlot.Lease held = slot.lease();
    ModelBundle bundle = held.bundle();
    return new Lease() {
      @Override
      public String bundleId() {
        return bundle.id();
      }

      @Override
      public LabelVocabulary labels() {
        return bundle.generation().vocabulary();
      }

      @Override
      public SamplerSettings defaultSettings() {
        return bundle.generation().defaults();
      }

      @Override
      public boolean acceptsFreeText() {
        return BundleGenerator.acceptsFreeText(bundle);
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
        return BundleGenerator.generate(bundle, requests, id -> false);
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests, Predicate<String> cancelledNow) {
        return BundleGenerator.generate(bundle, requests, cancelledNow);
      }

      @Override
      public GenerationRun start(List<ValidatedGeneration> requests, Predicate<String> cancelledNow) {
        return BundleGenerator.start(bundle, requests, cancelledNow);
      }

      @Override
      public void close() {
        held.close();
      }
    };
  }

  /** One runtime call, run to its end: {@link #start} advanced until sampled, then finished. */
  private static GenerationBatchResult generate(ModelBundle bundle, List<ValidatedGeneration> requests,
                                                Predicate<String> cancelledNow) {
    GenerationRun run = start(bundle, requests, cancelledNow);
    run.advance(() -> false);
    return run.finish();
  }

  /**
   * All of a request's images are rows of the one runtime call, so a request cancelled while it
   * runs stops as a whole and gives no image; a request counts as cancelled once any of its rows
   * saw it so (sticky: a withdrawal mid-run cannot bring stopped rows back).
   */
  private static GenerationRun start(ModelBundle bundle, List<ValidatedGeneration> requests,
                                     Predicate<String> cancelledNow) {
    GenerationRuntime runtime = bundle.generation();
    List<SamplingJob> flat = new ArrayList<>();
    List<String> owners = new ArrayList<>(); // flat job index → request id
    for (ValidatedGeneration request : requests) {
      checkCondition(bundle, runtime.vocabulary(), request);
      for (int i = 0; i < request.count(); i++) {
        owners.add(request.requestId());
        SamplingJob job = request.freeText()
            ? SamplingJob.ofPrompt(request.prompt(), request.seedOf(i), NOISE_STREAM)
            : SamplingJob.ofClass(request.classId(), request.seedOf(i), NOISE_STREAM);
        flat.add(job.withSettings(request.settings()));
      }
    }
    long started = System.nanoTime();
    Set<String> cancelled = new HashSet<>();
    GenerationRuntime.SamplingRun sampling = runtime.start(flat, job -> {
      String id = owners.get(job);
      if (cancelled.contains(id)) {
        return true;
      }
      if (cancelledNow.test(id)) {
        cancelled.add(id);
        return true;
      }
      return false;
    });
    long startNanos = System.nanoTime() - started;
    return new GenerationRun() {
      private long modelNanos = startNanos;

      @Override
      public void advance(BooleanSupplier enough) {
        long from = System.nanoTime();
        try {
          sampling.advance(enough);
        } finally {
          modelNanos += System.nanoTime() - from;
        }
      }

      @Override
      public boolean sampled() {
        return sampling.sampled();
      }

      @Override
      public float progress() {
        return sampling.progress();
      }

      @Override
      public GenerationBatchResult finish() {
        long from = System.nanoTime();
        List<SampledImage> images = sampling.finish();
        double sampleAndDecodeMs = (modelNanos + System.nanoTime() - from) / 1e6;
        return results(bundle, requests, images, cancelled, sampleAndDecodeMs);
      }
    };
  }

  private static GenerationBatchResult results(ModelBundle bundle, List<ValidatedGeneration> requests,
                                               List<SampledImage> images, Set<String> cancelled,
                                               double sampleAndDecodeMs) {
    long started = System.nanoTime();
    List<List<GeneratedSample>> samples = new ArrayList<>(requests.size());
    int next = 0;
    for (ValidatedGeneration request : requests) {
      List<GeneratedSample> own = new ArrayList<>(request.count());
      boolean stopped = cancelled.contains(request.requestId());
      for (int i = 0; i < request.count(); i++) {
        SampledImage image = images.get(next++);
        if (!stopped && image != null) {
          own.add(sample(bundle, request, i, image));
        }
      }
      samples.add(stopped ? List.of() : own);
    }
    double pngMs = (System.nanoTime() - started) / 1e6;
    return new GenerationBatchResult(bundle.id(), samples, Map.of("sampleAndDecode", sampleAndDecodeMs, "png", pngMs),
        cancelled);
  }

  /**
   * A request validated against one bundle and generated with another (a reload in between, when
   * the caller did not use one {@link #lease}) could draw the wrong class, or have its free text
   * read as a class name by a class bundle: refuse it.
   */
  private static void checkCondition(ModelBundle bundle, LabelVocabulary labels, ValidatedGeneration request) {
    if (request.freeText()) {
      if (!acceptsFreeText(bundle)) {
        throw new IllegalStateException("request " + request.requestId() + " was validated as a free-text prompt,"
            + " but bundle " + bundle.id() + " is class-conditional (takes class names only): it was validated against"
            + " another bundle (reloaded since); validate and generate on one lease");
      }
      return;
    }
    if (!request.requestedClass().in(labels)) {
      throw new IllegalStateException("request " + request.requestId() + " was validated for class '"
          + request.className() + "' (id " + request.classId() + "), which bundle " + bundle.id() + " does not have at that id:"
          + " it was validated against another bundle (reloaded since); validate and generate on one lease");
    }
  }

  private static GeneratedSample sample(ModelBundle bundle, ValidatedGeneration request, int index, SampledImage image) {
    int size = image.images().size();
    Latent latent = bundle.manifest().latent();
    LatentTensor tensor = request.returnLatents()
        ? new LatentTensor(new int[] {latent.channels(), latent.height(), latent.width()}, image.latent())
        : null;
    return new GeneratedSample(request.seedOf(index), image.png(), size, size, tensor);
  }
}
