package dev.aligntok.inference.runtime;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.inference.sampling.ConditionTable;
import dev.aligntok.inference.sampling.FlowSampler;
import dev.aligntok.inference.sampling.PortableNoise;
import dev.aligntok.inference.sampling.RowCancellation;
import dev.aligntok.inference.sampling.SampledRows;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Generation with a bundle's DiT and decoder, computed exactly as the trainer's LatentGenerator
 * does: noise {@code PortableNoise.gaussian(seed, stream, C·h·w)}, integrated by the shared
 * {@link FlowSampler} in the DiT's normalised space, then {@code z = x·std + mean} per channel, then
 * decoded. Requests with equal settings share one sampler batch (one DiT call per solver evaluation
 * for all of them); rows do not interact, so a request's result does not depend on what it was
 * batched with.
 *
 * <p>A class DiT resolves a prompt to a class of the vocabulary. A text DiT takes any prompt as free
 * text and a class id as its class caption ({@link PromptEmbedder#classCaption}); all texts of one
 * {@link #generate} call are embedded in one {@link PromptEmbedder#embed} call, guided against the
 * empty prompt's embedding (computed once, at construction), through a {@link ConditionTable}.
 */
public final class GenerationRuntime {
  /** More requests than this in one call is a caller mistake, not a batch size. */
  public static final int MAX_REQUESTS = TokenizerRuntime.MAX_BATCH;
  /** {@link SampledImage#classId()} of a free-text image (no class behind it). */
  public static final int FREE_TEXT = -1;

  private final OnnxVelocityField dit;
  private final TokenizerRuntime tokenizer;
  private final Latent latent;
  private final float[] mean;
  private final float[] std;
  private final LabelVocabulary vocabulary;
  private final SamplerSettings defaults;
  /** Null for a class DiT. */
  private final PromptEmbedder prompts;
  /** The empty prompt's embedding (the guidance null) of a text DiT; null for a class DiT. */
  private final float[] nullEmbedding;

  /** A class DiT's runtime. */
  public GenerationRuntime(OnnxModel dit, TokenizerRuntime tokenizer, Latent latent, LabelVocabulary vocabulary,
      SamplerSettings defaults) {
    this(dit, tokenizer, latent, vocabulary, defaults, null);
  }

  /**
   * @param prompts the text side of a text DiT (its {@value ModelContract#TEXT_EMBEDDING} width must
   *     be the embeddings' width); null for a class DiT
   * @throws IllegalArgumentException if the DiT's conditioning and {@code prompts} do not fit
   */
  public GenerationRuntime(OnnxModel dit, TokenizerRuntime tokenizer, Latent latent, LabelVocabulary vocabulary,
      SamplerSettings defaults, PromptEmbedder prompts) {
    ModelContract.Conditioning conditioning = ModelContract.Conditioning.declaredBy(dit.inputs());
    if (conditioning.textConditioned() != (prompts != null)) {
      throw new IllegalArgumentException(dit.file() + (conditioning.textConditioned()
          ? " takes text embeddings but no text encoder was given" : " takes class ids but a text encoder was given"));
    }
    this.prompts = prompts;
    this.nullEmbedding = prompts == null ? null : prompts.embed(List.of(""))[0];
    if (nullEmbedding != null && nullEmbedding.length != conditioning.textDim()) {
      throw new IllegalArgumentException("the text encoder gives " + nullEmbedding.length + " floats per prompt but "
          + dit.file() + " takes " + conditioning.textDim());
    }
    this.dit = new OnnxVelocityField(dit, latent, conditioning);
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

  /** Whether the DiT is conditioned on text: any prompt is free text, a class id means its class caption. */
  public boolean textConditioned() {
    return prompts != null;
  }

  /** The unconditional class id used for guidance (= number of labels). */
  public int nullClass() {
    return vocabulary.size();
  }

  /** DiT session runs so far (one per solver evaluation per settings group); for metrics and tests. */
  public long ditCalls() {
    return dit.calls();
  }

  /**
   * Generates every request; results in request order. {@link SampledImage#classId()} is the class
   * of a class request (or, on a class DiT, the class a prompt resolved to) and -1 for free text.
   */
  public List<SampledImage> generate(List<SamplingJob> requests) {
    return generate(requests, job -> false);
  }

  /**
   * As {@link #generate(List)}, and between sampler steps asks {@code cancelledJob} (by index into
   * {@code requests}) about every job still sampling: a cancelled job stops there, is neither
   * sampled further nor decoded, and its entry in the result is null; the other jobs give the images
   * they would have given without it. A job not cancelled before its last step is finished.
   */
  public List<SampledImage> generate(List<SamplingJob> requests, IntPredicate cancelledJob) {
    if (cancelledJob == null) {
      throw new IllegalArgumentException("cancelledJob must not be null");
    }
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
      classes[i] = textConditioned() && request.prompt() != null ? FREE_TEXT : resolveClass(request, i);
      groups.computeIfAbsent(settingsOf(request), s -> new ArrayList<>()).add(i);
    }
    float[][] embeddings = textConditioned() ? embed(requests, classes) : null;

    float[] raw = new float[n * dim];
    boolean[] cancelled = new boolean[n];
    FlowSampler sampler = new FlowSampler(dit);
    groups.forEach((settings, members) -> {
      int rows = members.size();
      float[] noise = new float[rows * dim];
      int[] groupClasses = new int[rows];
      float[][] groupEmbeddings = new float[rows][];
      for (int r = 0; r < rows; r++) {
        SamplingJob request = requests.get(members.get(r));
        System.arraycopy(PortableNoise.gaussian(request.seed(), request.stream(), dim), 0, noise, r * dim, dim);
        groupClasses[r] = classes[members.get(r)];
        groupEmbeddings[r] = embeddings == null ? null : embeddings[members.get(r)];
      }
      RowCancellation rowCancelled = r -> cancelledJob.test(members.get(r));
      SampledRows sampled;
      if (embeddings == null) {
        sampled = sampler.sample(noise, groupClasses, nullClass(), rows, dim, settings, rowCancelled);
      } else {
        ConditionTable table = new ConditionTable(dit, groupEmbeddings, nullEmbedding);
        sampled = new FlowSampler(table).sample(noise, table.ids(), table.nullId(), rows, dim, settings, rowCancelled);
      }
      for (int r = 0; r < rows; r++) {
        cancelled[members.get(r)] = sampled.cancelled(r);
        denormaliseInto(sampled.latents(), r * dim, raw, members.get(r) * dim);
      }
    });

    // Only the finished jobs are decoded, in one call.
    int finished = 0;
    float[] toDecode = new float[n * dim];
    int[] decodedAt = new int[n];
    for (int i = 0; i < n; i++) {
      if (!cancelled[i]) {
        System.arraycopy(raw, i * dim, toDecode, finished * dim, dim);
        decodedAt[i] = finished++;
      }
    }
    DecodedImages images = finished == 0 ? null
        : tokenizer.decode(finished == n ? toDecode : Arrays.copyOf(toDecode, finished * dim), finished);
    List<SampledImage> results = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      results.add(cancelled[i] ? null
          : new SampledImage(requests.get(i), classes[i], Arrays.copyOfRange(raw, i * dim, (i + 1) * dim), images, decodedAt[i]));
    }
    return results;
  }

  /**
   * Each request's embedding: its prompt, or its class's caption; the distinct texts of the call in
   * one {@link PromptEmbedder#embed} call.
   */
  private float[][] embed(List<SamplingJob> requests, int[] classes) {
    Map<String, Integer> distinct = new LinkedHashMap<>();
    int[] row = new int[requests.size()];
    for (int i = 0; i < row.length; i++) {
      String prompt = requests.get(i).prompt();
      String text = prompt != null ? prompt : prompts.classCaption(vocabulary.name(classes[i]));
      row[i] = distinct.computeIfAbsent(text, k -> distinct.size());
    }
    float[][] vectors = prompts.embed(List.copyOf(distinct.keySet()));
    float[][] out = new float[row.length][];
    for (int i = 0; i < row.length; i++) {
      out[i] = vectors[row[i]];
    }
    return out;
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
