package dev.aligntok.quickstart;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.ImageEvent;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The events of one run. Ids start with a run id, so outputs of earlier runs on the same topics
 * are never mistaken for this run's.
 */
public final class RunInputs {
  private static final DateTimeFormatter RUN_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final String runId;
  private final Map<String, SampleImages.Sample> samples = new LinkedHashMap<>();
  private final Map<String, ImageEvent> images = new LinkedHashMap<>();
  private final Map<String, GenerationRequest> requests = new LinkedHashMap<>();

  private RunInputs(String runId) {
    this.runId = runId;
  }

  /** {@code qs-<UTC time>-<4 hex>}. */
  public static String newRunId(Clock clock) {
    return "qs-" + RUN_TIME.format(clock.instant()) + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(1 << 16));
  }

  /**
   * @param steps sampler steps, or null for the bundle's default
   */
  public static RunInputs create(String runId, List<SampleImages.Sample> samples, List<String> prompts,
                                 int imagesPerPrompt, Integer steps, Instant now) {
    RunInputs inputs = new RunInputs(runId);
    for (int i = 0; i < samples.size(); i++) {
      SampleImages.Sample sample = samples.get(i);
      String id = String.format("%s-img-%02d-%s", runId, i, sample.name());
      inputs.samples.put(id, sample);
      inputs.images.put(id, ImageEvent.newBuilder().setId(id).setData(ByteBuffer.wrap(sample.png()))
          .setContentType("image/png").setLabel(sample.name()).setCreatedAtMs(now).build());
    }
    for (int i = 0; i < prompts.size(); i++) {
      String id = String.format("%s-gen-%02d", runId, i);
      // Fixed seeds: the same prompts give the same pictures on every run of one bundle.
      inputs.requests.put(id, GenerationRequest.newBuilder().setId(id).setPrompt(prompts.get(i))
          .setCount(imagesPerPrompt).setSeed(1000L * (i + 1)).setSteps(steps).setCreatedAtMs(now).build());
    }
    return inputs;
  }

  public String runId() {
    return runId;
  }

  /** Image events by id, in sending order. */
  public Map<String, ImageEvent> images() {
    return Collections.unmodifiableMap(images);
  }

  /** The file an image event was read from. */
  public SampleImages.Sample sample(String imageId) {
    return samples.get(imageId);
  }

  /** Generation requests by id, in sending order. */
  public Map<String, GenerationRequest> requests() {
    return Collections.unmodifiableMap(requests);
  }

  public int size() {
    return images.size() + requests.size();
  }

  /** Images all requests ask for together. */
  public int requestedImages() {
    return requests.values().stream().mapToInt(GenerationRequest::getCount).sum();
  }
}
