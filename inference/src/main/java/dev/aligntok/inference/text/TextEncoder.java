package dev.aligntok.inference.text;

import dev.aligntok.inference.manifest.TensorRtConfig;
import dev.aligntok.inference.manifest.TensorRtConfig.BatchProfile;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.Feed;
import dev.aligntok.inference.runtime.OnnxModel;
import dev.aligntok.inference.runtime.ProviderSelection;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.runtime.SessionFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Free-text prompts → sentence embeddings: {@link BertWordPiece} ids, the model, {@link MeanPooling}
 * over the real tokens, L2-normalised. A batch-invariant model ({@link TextEncoderArtifact#batchInvariant})
 * runs once per batch (padded to the longest prompt, with an attention mask); a dynamically quantised
 * one, such as the default, runs once per prompt without padding, so that a prompt's embedding never
 * depends on what it was batched with (the trainer and the service must agree). The empty prompt is allowed ({@code [CLS] [SEP]}; it is the classifier-free guidance
 * null embedding). Prompts longer than {@link #maxTokens()} tokens are cut at the end; the batch size
 * is the caller's. Thread-safe (the session and tokenizer are shared); close it to free the session.
 */
public final class TextEncoder implements AutoCloseable {
  private static final String ROLE = "text-encoder";
  private static final String OUTPUT = "last_hidden_state";

  private final TextEncoderArtifact artifact;
  private final BertWordPiece tokenizer;
  private final OnnxModel model;
  private final ProviderSelection provider;
  private final int dimension;

  private TextEncoder(TextEncoderArtifact artifact, BertWordPiece tokenizer, OnnxModel model,
      ProviderSelection provider) {
    this.artifact = artifact;
    this.tokenizer = tokenizer;
    this.model = model;
    this.provider = provider;
    this.dimension = width(artifact, model);
  }

  /** The fixed last axis of {@code last_hidden_state} [batch, tokens, width]. */
  private static int width(TextEncoderArtifact artifact, OnnxModel model) {
    List<Long> shape = model.outputs().stream().filter(o -> o.name().equals(OUTPUT)).findFirst()
        .orElseThrow(() -> new IllegalStateException(artifact.coordinates() + ": the model has no output " + OUTPUT))
        .shape();
    if (shape.size() != 3 || shape.get(2) <= 0) {
      throw new IllegalStateException(artifact.coordinates() + ": " + OUTPUT + " has shape " + shape
          + ", expected [batch, tokens, width] with a fixed width");
    }
    return shape.get(2).intValue();
  }

  /** all-MiniLM-L6-v2 ({@link TextEncoderArtifact#MINILM_L6_V2_Q}) on the first provider that opens it. */
  public static TextEncoder open(RuntimeOptions options) {
    return open(TextEncoderArtifact.MINILM_L6_V2_Q, options);
  }

  /**
   * Reads and verifies the artifact's model and tokenizer, and opens the model through the project's
   * {@link SessionFactory}. TensorRT is left out of the providers: our TensorRT profiles fix every
   * axis but the batch, and a prompt's length varies, so the encoder runs on CUDA or CPU.
   *
   * @throws IllegalStateException naming the artifact when a resource is missing or differs from its pinned hash
   */
  public static TextEncoder open(TextEncoderArtifact artifact, RuntimeOptions options) {
    BertWordPiece tokenizer = BertWordPiece.fromTokenizerJson(artifact.readTokenizer(),
        artifact.coordinates() + "!/" + artifact.tokenizerResource());
    List<ExecutionProvider> providers = new ArrayList<>(options.providers());
    providers.remove(ExecutionProvider.TENSORRT);
    if (providers.isEmpty()) {
      providers.add(ExecutionProvider.CPU);
    }
    Path file = null;
    try {
      // SessionFactory opens files; the model lives in a jar, so it passes through a temporary copy.
      file = Files.createTempFile("aligntok-text-encoder-", ".onnx");
      Files.write(file, artifact.readModel());
      SessionFactory factory = new SessionFactory(options.withProviders(providers),
          TensorRtConfig.uniform(new BatchProfile(1, 1, 1), false, List.of()), artifact.artifactId(), file.getParent());
      SessionFactory.Opened opened = factory.open(Map.of(ROLE, file), Map.of());
      OnnxModel model = opened.models().get(ROLE);
      try {
        return new TextEncoder(artifact, tokenizer, model, opened.selection());
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(artifact.coordinates() + ": cannot stage the model for ONNX Runtime: "
          + e.getMessage(), e);
    } finally {
      deleteQuietly(file);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a stray temp file is harmless; the session already holds the model
      }
    }
  }

  /**
   * One L2-normalised embedding of {@link #dimension()} floats per prompt, in order: one model call for
   * the whole list if the model is batch-invariant, else one per prompt (none for an empty list).
   *
   * @throws IllegalArgumentException naming the index of a null prompt
   */
  public float[][] embed(List<String> prompts) {
    List<int[]> sequences = new ArrayList<>(prompts.size());
    for (int i = 0; i < prompts.size(); i++) {
      String prompt = prompts.get(i);
      if (prompt == null) {
        throw new IllegalArgumentException("prompt " + i + " of " + prompts.size() + " is null (use \"\" for no text)");
      }
      sequences.add(tokenizer.encode(prompt));
    }
    if (sequences.isEmpty()) {
      return new float[0][];
    }
    if (artifact.batchInvariant()) {
      return run(sequences);
    }
    float[][] out = new float[sequences.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = run(List.of(sequences.get(i)))[0];
    }
    return out;
  }

  private float[][] run(List<int[]> sequences) {
    TokenBatch batch = new TokenBatch(sequences);
    long[] shape = {batch.batch, batch.length};
    float[] states = model.run(OUTPUT, Feed.longs("input_ids", batch.ids, shape),
        Feed.longs("attention_mask", batch.mask, shape), Feed.longs("token_type_ids", batch.types, shape));
    return MeanPooling.pool(states, batch.mask, batch.batch, batch.length, dimension);
  }

  /** Floats per embedding (384 for all-MiniLM-L6-v2). */
  public int dimension() {
    return dimension;
  }

  /** Tokens per prompt at most, {@code [CLS]} and {@code [SEP]} included; longer prompts are cut. */
  public int maxTokens() {
    return tokenizer.maxLength();
  }

  public TextEncoderArtifact artifact() {
    return artifact;
  }

  /** The execution provider the session runs on, and why preferred ones were skipped. */
  public ProviderSelection provider() {
    return provider;
  }

  /** The tokenizer this encoder uses (for callers that need token counts or ids). */
  public BertWordPiece tokenizer() {
    return tokenizer;
  }

  @Override
  public void close() {
    model.close();
  }
}
