package dev.aligntok.inference.runtime;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.sampling.FlowSampler;
import dev.aligntok.inference.sampling.PortableNoise;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Class-conditional generation with a bundle's DiT and decoder, computed exactly as the trainer's
 * LatentGenerator does: noise {@code PortableNoise.gaussian(seed, stream, C·h·w)}, integrated by the
 * shared {@link FlowSampler} in the DiT's normalised space, then {@code z = x·std + mean} per
 * channel, then decoded. Requests with equal settings share one sampler batch (one DiT call per
 * solver evaluation for all of them); rows do not interact, so a request's result does not depend on
 * what it was batched with.
 */
public final class GenerationRuntime {
  /** More requests than this in one call is a caller mistake, not a batch size. */
  public static final int MAX_REQUESTS = TokenizerRuntime.MAX_BATCH;

  private final OnnxVelocityField dit;
  private final TokenizerRuntime tokenizer;
  private final Latent latent;
  private final float[] mean;
  private final float[] std;
  private final LabelVocabulary vocabulary;
  private final SamplerSettings defaults;

  public GenerationRuntime(OnnxModel dit, TokenizerRuntime tokenizer, Latent latent, LabelVocabulary vocabulary,
      SamplerSettings defaults) {
    this.dit = new OnnxVelocityField(dit, latent);
    this.tokenizer = tokenizer;
    this.latent = latent;
    this.mean = toArray(latent.mean());
    this.std = toArray(latent.std());
    this.vocabulary = vocabulary;
    this.defaults = defaults;
  }

  public LabelVocabulary vocabulary() {
    return vocabulary;
  }

  /** The bundle's sampler settings, used by requests that carry none. */
  public SamplerSettings defaults() {
    return defaults;
  }

  /** The unconditional class id used for guidance (= number of labels). */
  public int nullClass() {
    return vocabulary.size();
  }

  /** DiT session runs so far (one per solver evaluation per settings group); for metrics and tests. */
  public long ditCalls() {
    return dit.calls();
  }

  /** Generates every request; results in request order. */
  public List<SampledImage> generate(List<SamplingJob> requests) {
    if (requests == null || requests.isEmpty() || requests.size() > MAX_REQUESTS) {
      throw new IllegalArgumentException("need 1.." + MAX_REQUESTS + " requests, got "
          + (requests == null ? "null" : requests.size()));
    }
    int n = requests.size();
    int dim = latent.size();
    int[] classes = new int[n];
    Map<SamplerSettings, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      SamplingJob request = requests.get(i);
      if (request == null) {
        throw new IllegalArgumentException("request " + i + " is null");
      }
      classes[i] = resolveClass(request, i);
      groups.computeIfAbsent(settingsOf(request), s -> new ArrayList<>()).add(i);
    }

    float[] raw = new float[n * dim];
    FlowSampler sampler = new FlowSampler(dit);
    groups.forEach((settings, members) -> {
      int rows = members.size();
      float[] noise = new float[rows * dim];
      int[] groupClasses = new int[rows];
      for (int r = 0; r < rows; r++) {
        SamplingJob request = requests.get(members.get(r));
        System.arraycopy(PortableNoise.gaussian(request.seed(), request.stream(), dim), 0, noise, r * dim, dim);
        groupClasses[r] = classes[members.get(r)];
      }
      float[] normalised = sampler.sample(noise, groupClasses, nullClass(), rows, dim, settings);
      for (int r = 0; r < rows; r++) {
        denormaliseInto(normalised, r * dim, raw, members.get(r) * dim);
      }
    });

    DecodedImages images = tokenizer.decode(raw, n);
    List<SampledImage> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      results.add(new SampledImage(requests.get(i), classes[i], Arrays.copyOfRange(raw, i * dim, (i + 1) * dim), images, i));
    }
    return results;
  }

  private int resolveClass(SamplingJob request, int index) {
    if (request.prompt() != null) {
      try {
        return vocabulary.id(request.prompt());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("request " + index + ": " + e.getMessage(), e);
      }
    }
    int id = request.classId();
    if (id < 0 || id >= nullClass()) {
      throw new IllegalArgumentException("request " + index + ": class id " + id + " is outside 0.." + (nullClass() - 1)
          + " (" + nullClass() + " labels)");
    }
    return id;
  }

  private SamplerSettings settingsOf(SamplingJob request) {
    return request.settings() != null ? request.settings() : defaults;
  }

  /** {@code z = x·std[c] + mean[c]}, the same float operations as the trainer's TrainedDiT.denormalise. */
  private void denormaliseInto(float[] normalised, int from, float[] out, int to) {
    int plane = latent.height() * latent.width();
    for (int j = 0; j < latent.size(); j++) {
      int channel = j / plane;
      out[to + j] = normalised[from + j] * std[channel] + mean[channel];
    }
  }

  private static float[] toArray(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
