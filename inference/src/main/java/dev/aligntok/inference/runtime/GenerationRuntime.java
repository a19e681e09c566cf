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
import java.util.function.BooleanSupplier;
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
    SamplingRun run = start(requests, cancelledJob);
    run.advance(() -> false);
    return run.finish();
  }

  /**
   * The same generation as {@link #generate(List, IntPredicate)}, taken a few sampler steps at a
   * time: {@link SamplingRun#advance} until {@link SamplingRun#sampled}, then {@link SamplingRun#finish}
   * decodes. Resolves the classes and embeds the prompts now; samples nothing yet.
   */
  public SamplingRun start(List<SamplingJob> requests, IntPredicate cancelledJob) {
    if (cancelledJob == null) {
      throw new IllegalArgumentException("cancelledJob must not be null");
    }
    if (requests == null || requests.isEmpty() || requests.size() > MAX_REQUESTS) {
      throw new IllegalArgumentException("need 1.." + MAX_REQUESTS + " requests, got "
          + (requests == null ? "null" : requests.size()));
    }
    int n = requests.size();
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
    return new SamplingRun(List.copyOf(requests), classes, embeddings, groups, cancelledJob);
  }

  /**
   * A generation in progress (see {@link #start}): its sampler state lives here, in memory, between
   * {@link #advance} calls. Settings groups are sampled one after the other.
   */
  public final class SamplingRun {
    private final List<SamplingJob> requests;
    private final int[] classes;
    private final float[][] embeddings;
    private final List<Map.Entry<SamplerSettings, List<Integer>>> groups;
    private final IntPredicate cancelledJob;
    private final int dim = latent.size();
    private final float[] raw;
    private final boolean[] cancelled;
    private final long totalRowSteps;
    private long rowStepsBefore; // row-steps of the groups already sampled
    private int group;
    private FlowSampler.Run current;
    private boolean finished;

    private SamplingRun(List<SamplingJob> requests, int[] classes, float[][] embeddings,
                        Map<SamplerSettings, List<Integer>> groups, IntPredicate cancelledJob) {
      this.requests = requests;
      this.classes = classes;
      this.embeddings = embeddings;
      this.groups = List.copyOf(groups.entrySet());
      this.cancelledJob = cancelledJob;
      this.raw = new float[requests.size() * dim];
      this.cancelled = new boolean[requests.size()];
      long total = 0;
      for (Map.Entry<SamplerSettings, List<Integer>> g : this.groups) {
        total += (long) g.getValue().size() * g.getKey().steps();
      }
      this.totalRowSteps = total;
    }

    /**
     * Runs sampler steps until every group is sampled or, after a step, {@code enough} says to
     * stop: at least one step while any is left.
     */
    public void advance(BooleanSupplier enough) {
      while (!sampled()) {
        if (current == null) {
          current = startGroup(groups.get(group));
        }
        current.advance(enough);
        if (current.done()) {
          endGroup(groups.get(group), current.result());
          rowStepsBefore += (long) groups.get(group).getValue().size() * groups.get(group).getKey().steps();
          current = null;
          group++;
        }
        if (enough.getAsBoolean()) {
          return;
        }
      }
    }

    /** Whether every job is sampled (or cancelled); then {@link #finish} decodes. */
    public boolean sampled() {
      return group >= groups.size();
    }

    /** Sampler steps × images done, as a fraction of all the run's (a cancelled group counts as done). */
    public float progress() {
      long done = rowStepsBefore;
      if (current != null) {
        done += (long) groups.get(group).getValue().size() * current.stepsDone();
      }
      return totalRowSteps == 0 ? 1f : (float) ((double) done / totalRowSteps);
    }

    /** Decodes the finished jobs; results as {@link GenerationRuntime#generate(List, IntPredicate)} gives them. */
    public List<SampledImage> finish() {
      if (!sampled()) {
        throw new IllegalStateException("the generation is at group " + group + " of " + groups.size()
            + " (progress " + progress() + "); advance it to the end before finishing it");
      }
      if (finished) {
        throw new IllegalStateException("the generation was finished already");
      }
      finished = true;
      int n = requests.size();
      // Only the finished jobs are decoded, in one call.
      int done = 0;
      float[] toDecode = new float[n * dim];
      int[] decodedAt = new int[n];
      for (int i = 0; i < n; i++) {
        if (!cancelled[i]) {
          System.arraycopy(raw, i * dim, toDecode, done * dim, dim);
          decodedAt[i] = done++;
        }
      }
      DecodedImages images = done == 0 ? null
          : tokenizer.decode(done == n ? toDecode : Arrays.copyOf(toDecode, done * dim), done);
      List<SampledImage> results = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        results.add(cancelled[i] ? null
            : new SampledImage(requests.get(i), classes[i], Arrays.copyOfRange(raw, i * dim, (i + 1) * dim), images,
                decodedAt[i]));
      }
      return results;
    }

    private FlowSampler.Run startGroup(Map.Entry<SamplerSettings, List<Integer>> entry) {
      List<Integer> members = entry.getValue();
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
      if (embeddings == null) {
        return new FlowSampler(dit).start(noise, groupClasses, nullClass(), rows, dim, entry.getKey(), rowCancelled);
      }
      ConditionTable table = new ConditionTable(dit, groupEmbeddings, nullEmbedding);
      return new FlowSampler(table).start(noise, table.ids(), table.nullId(), rows, dim, entry.getKey(), rowCancelled);
    }

    private void endGroup(Map.Entry<SamplerSettings, List<Integer>> entry, SampledRows sampled) {
      List<Integer> members = entry.getValue();
      for (int r = 0; r < members.size(); r++) {
        cancelled[members.get(r)] = sampled.cancelled(r);
        denormaliseInto(sampled.latents(), r * dim, raw, members.get(r) * dim);
      }
    }
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
