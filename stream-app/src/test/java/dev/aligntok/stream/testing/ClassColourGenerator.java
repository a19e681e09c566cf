package dev.aligntok.stream.testing;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GeneratedSample;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentTensor;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test double for the ONNX generator: image i of a request is a 4×4 PNG of one colour computed
 * from its inputs — red = 40 × class id, green = seed mod 256, blue = steps mod 256 — and its latent
 * is [class id, seed mod 1000, cfg scale] (shape [3, 1, 1]). Records each batch's request ids and
 * settings; can be told to fail its next batch. To be replaced by the ONNX runtime on a tiny real
 * bundle once that runtime is merged.
 */
public final class ClassColourGenerator implements ImageGeneratorPort {
  public static final String BUNDLE_ID = "test-bundle-class-colour";
  public static final LabelVocabulary LABELS =
      LabelVocabulary.of(List.of("cat", "dog", "fish"), Map.of("cat", List.of("kitten")));
  public static final SamplerSettings DEFAULTS = SamplerSettings.defaults().withSteps(20);

  private final List<List<String>> batches = new ArrayList<>();
  private final List<SamplerSettings> batchSettings = new ArrayList<>();
  private RuntimeException nextFailure;

  @Override
  public String bundleId() {
    return BUNDLE_ID;
  }

  @Override
  public LabelVocabulary labels() {
    return LABELS;
  }

  @Override
  public SamplerSettings defaultSettings() {
    return DEFAULTS;
  }

  @Override
  public synchronized GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    batches.add(requests.stream().map(ValidatedGeneration::requestId).toList());
    batchSettings.add(requests.get(0).settings());
    if (nextFailure != null) {
      RuntimeException failure = nextFailure;
      nextFailure = null;
      throw failure;
    }
    List<List<GeneratedSample>> samples = new ArrayList<>();
    for (ValidatedGeneration request : requests) {
      if (!request.settings().equals(requests.get(0).settings())) {
        throw new IllegalArgumentException("one batch must share its sampler settings");
      }
      List<GeneratedSample> images = new ArrayList<>();
      for (int i = 0; i < request.count(); i++) {
        long seed = request.seedOf(i);
        int rgb = colour(request.classId(), seed, request.settings().steps());
        float[] latent = {request.classId(), Math.floorMod(seed, 1000), request.settings().cfgScale()};
        images.add(new GeneratedSample(seed, TestPngs.png(solid(rgb)), 4, 4, new LatentTensor(new int[] {3, 1, 1}, latent)));
      }
      samples.add(images);
    }
    return new GenerationBatchResult(samples, Map.of("testSample", 0.0));
  }

  public static int colour(int classId, long seed, int steps) {
    return ((40 * classId) & 0xff) << 16 | (int) Math.floorMod(seed, 256L) << 8 | (steps & 0xff);
  }

  private static BufferedImage solid(int rgb) {
    BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  public synchronized void failNextBatch(RuntimeException failure) {
    this.nextFailure = failure;
  }

  /** Request ids of each batch generated so far, in call order. */
  public synchronized List<List<String>> batches() {
    return List.copyOf(batches);
  }

  public synchronized List<SamplerSettings> batchSettings() {
    return List.copyOf(batchSettings);
  }
}
