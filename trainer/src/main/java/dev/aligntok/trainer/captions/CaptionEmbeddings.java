package dev.aligntok.trainer.captions;

import dev.aligntok.inference.console.ProgressLine;
import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.io.SafetensorsFile;
import dev.aligntok.inference.io.SafetensorsWriter;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.inference.text.TextEncoderArtifact;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The frozen text encoder's embeddings of a list of captions and of the empty prompt (the
 * classifier-free-guidance null), computed once and kept in a safetensors file: tensors
 * {@value #CAPTIONS} [n, dim] (row i = caption i) and {@value #NULL} [dim]; metadata {@value #KEY_FIELD}
 * = SHA-256 over the caption list and the encoder model's SHA-256. A file whose key differs (other
 * captions, another encoder), or that cannot be read, is recomputed and replaced.
 */
public final class CaptionEmbeddings {
  /** The file name a DiT run keeps its caption embeddings under. */
  public static final String FILE = "caption-embeddings.safetensors";
  static final String CAPTIONS = "captions";
  static final String NULL = "null";
  static final String KEY_FIELD = "key";
  /** Prompts per progress update (the int8 encoder runs one prompt per call anyway). */
  private static final int CHUNK = 256;

  private final List<String> captions;
  private final float[][] vectors;
  private final float[] nullVector;
  private final boolean computed;

  private CaptionEmbeddings(List<String> captions, float[][] vectors, float[] nullVector, boolean computed) {
    this.captions = List.copyOf(captions);
    this.vectors = vectors;
    this.nullVector = nullVector;
    this.computed = computed;
  }

  /**
   * The embeddings of {@code captions} from {@code file} when its key matches, else computed with
   * the encoder {@code open} supplies (opened only then, closed after) and written to {@code file}.
   */
  public static CaptionEmbeddings loadOrCompute(Path file, List<String> captions, TextEncoderArtifact artifact,
      Supplier<TextEncoder> open, PrintStream out) {
    String key = key(captions, artifact);
    if (Files.isRegularFile(file)) {
      String reason = null;
      try (SafetensorsFile tensors = SafetensorsFile.open(file)) {
        if (!key.equals(tensors.metadata().get(KEY_FIELD))) {
          reason = "made for other captions or another text encoder";
        } else {
          CaptionEmbeddings read = read(tensors, captions);
          if (read != null) {
            out.printf("caption embeddings: %d captions from %s%n", captions.size(), file);
            return read;
          }
          reason = "has unexpected shapes";
        }
      } catch (RuntimeException e) {
        reason = "cannot be read (" + e.getMessage() + ")";
      }
      out.printf("caption embeddings: %s %s; recomputing%n", file, reason);
    }
    try (TextEncoder encoder = open.get()) {
      if (!encoder.artifact().modelSha256().equals(artifact.modelSha256())) {
        throw new IllegalArgumentException("the text encoder opened is " + encoder.artifact().coordinates()
            + ", not " + artifact.coordinates());
      }
      CaptionEmbeddings computed = compute(encoder, captions, out);
      computed.write(file, key, artifact);
      return computed;
    }
  }

  /** Embeds {@code captions} and "" with {@code encoder}, with a progress line. */
  static CaptionEmbeddings compute(TextEncoder encoder, List<String> captions, PrintStream out) {
    long started = System.nanoTime();
    ProgressLine progress = new ProgressLine(out, "caption embeddings", 0, Math.max(1, captions.size()), "captions");
    float[][] vectors = new float[captions.size()][];
    for (int from = 0; from < captions.size(); from += CHUNK) {
      int to = Math.min(captions.size(), from + CHUNK);
      float[][] chunk = encoder.embed(captions.subList(from, to));
      System.arraycopy(chunk, 0, vectors, from, chunk.length);
      progress.update(to, "");
    }
    float[] nullVector = encoder.embed(List.of(""))[0];
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf("caption embeddings: %d captions in %.1f s (%.2f ms each)%n", captions.size(), seconds,
        captions.isEmpty() ? 0.0 : 1000 * seconds / captions.size());
    return new CaptionEmbeddings(captions, vectors, nullVector, true);
  }

  /** SHA-256 over the encoder model's hash and every caption (length-prefixed, so no two lists collide). */
  static String key(List<String> captions, TextEncoderArtifact artifact) {
    StringBuilder text = new StringBuilder("text-encoder-model\t").append(artifact.modelSha256()).append('\n');
    for (String caption : captions) {
      text.append(caption.length()).append('\t').append(caption).append('\n');
    }
    return Sha256.of(text.toString());
  }

  private static CaptionEmbeddings read(SafetensorsFile tensors, List<String> captions) {
    SafetensorsFile.Entry rows = tensors.entries().get(CAPTIONS);
    SafetensorsFile.Entry none = tensors.entries().get(NULL);
    if (rows == null || none == null || rows.shape().length != 2 || none.shape().length != 1
        || rows.shape()[0] != captions.size() || rows.shape()[1] != none.shape()[0] || none.shape()[0] <= 0) {
      return null;
    }
    int dim = (int) none.shape()[0];
    float[] flat = tensors.readFloats(CAPTIONS);
    float[][] vectors = new float[captions.size()][];
    for (int i = 0; i < vectors.length; i++) {
      vectors[i] = new float[dim];
      System.arraycopy(flat, i * dim, vectors[i], 0, dim);
    }
    return new CaptionEmbeddings(captions, vectors, tensors.readFloats(NULL), false);
  }

  private void write(Path file, String key, TextEncoderArtifact artifact) {
    int dim = dimension();
    float[] flat = new float[vectors.length * dim];
    for (int i = 0; i < vectors.length; i++) {
      System.arraycopy(vectors[i], 0, flat, i * dim, dim);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(KEY_FIELD, key);
    metadata.put("captions", Integer.toString(vectors.length));
    metadata.put("textEncoder", artifact.coordinates());
    metadata.put("textEncoderModelSha256", artifact.modelSha256());
    List<SafetensorsWriter.Tensor> tensors = new ArrayList<>();
    tensors.add(SafetensorsWriter.Tensor.f32(CAPTIONS, flat, vectors.length, dim));
    tensors.add(SafetensorsWriter.Tensor.f32(NULL, nullVector, dim));
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path partial = parent.resolve(file.getFileName() + ".partial");
      SafetensorsWriter.write(partial, metadata, tensors);
      Directories.moveAtomically(partial, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write caption embeddings " + file + ": " + e.getMessage(), e);
    }
  }

  /** The captions, in the order of {@link #vector}'s indices. */
  public List<String> captions() {
    return captions;
  }

  /** Floats per vector. */
  public int dimension() {
    return nullVector.length;
  }

  /** Caption {@code index}'s embedding (shared: do not modify). */
  public float[] vector(int index) {
    return vectors[index];
  }

  /** The empty prompt's embedding (shared: do not modify). */
  public float[] nullVector() {
    return nullVector;
  }

  /** Whether these were computed now rather than read from the file. */
  public boolean computed() {
    return computed;
  }
}
