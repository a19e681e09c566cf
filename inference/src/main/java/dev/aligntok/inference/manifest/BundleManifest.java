package dev.aligntok.inference.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model bundle: what the files are, how they were made, and everything
 * a runtime needs to use them the way the trainer did. Written by model-export's BundleWriter,
 * checked on load by {@link BundleFiles#verify} (the bundle package's ModelBundle calls it). Plain data;
 * the checks live in {@link ManifestChecks}.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion {@value #FORMAT_VERSION}; a loader refuses versions it does not know
 * @param id {@code "sha256:" + hex} over the files and this manifest without its id ({@link ContentHash})
 * @param name human name of the bundle
 * @param createdAt ISO-8601 instant
 * @param source the checkpoints the models were exported from
 * @param models by role ({@value #ENCODER}, {@value #DECODER}, optionally {@value #DIT})
 * @param tensorrt the {@code tensorrt.json} file
 * @param preprocessing how images become encoder input
 * @param latent latent shape and per-channel normalisation of the DiT's space
 * @param labels class vocabulary; null in a tokenizer-only bundle
 * @param sampler sampler defaults; null in a tokenizer-only bundle
 * @param metrics free-form numbers measured at export (e.g. rFID, PSNR)
 * @param textEncoder the text encoder a text DiT's embeddings come from (referenced, not copied);
 *     null for class and tokenizer-only bundles
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BundleManifest(
    String format,
    int formatVersion,
    String id,
    String name,
    String createdAt,
    Source source,
    Map<String, ModelEntry> models,
    FileEntry tensorrt,
    Preprocessing preprocessing,
    Latent latent,
    Labels labels,
    SamplerSettings sampler,
    Map<String, Object> metrics,
    TextEncoderEntry textEncoder) {

  public static final String FORMAT = "aligntok-bundle";
  public static final int FORMAT_VERSION = 1;
  public static final String MANIFEST_FILE = "manifest.json";
  public static final String TENSORRT_FILE = "tensorrt.json";
  public static final String ENCODER = "encoder";
  public static final String DECODER = "decoder";
  public static final String DIT = "dit";

  /** The same manifest with another id (the writer fills it in last). */
  public BundleManifest withId(String newId) {
    return new BundleManifest(format, formatVersion, newId, name, createdAt, source, models, tensorrt,
        preprocessing, latent, labels, sampler, metrics, textEncoder);
  }

  /** Whether the DiT takes text embeddings rather than class ids (a tokenizer-only bundle has none). */
  public boolean textConditioned() {
    return hasDit() && ModelContract.Conditioning.declaredBy(models.get(DIT).inputs()).textConditioned();
  }

  /** Whether this bundle can generate (has a DiT), rather than only encode and decode. */
  public boolean hasDit() {
    return models != null && models.containsKey(DIT);
  }

  /** Checkpoints the bundle was exported from; {@code dit} is null for a tokenizer-only bundle. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(Checkpoint tokenizer, Checkpoint dit) {}

  /** A checkpoint directory, relative to the bundle directory (older bundles: absolute), and the sha256 of its weights file. */
  public record Checkpoint(String path, String weightsSha256) {}

  /** One file of the bundle and the sha256 (hex) of its bytes. */
  public record FileEntry(String file, String sha256) {}

  /**
   * The text encoder of a text DiT, referenced rather than copied into the bundle: a Maven artifact
   * that carries the model and its tokenizer as classpath resources, with the SHA-256 of both.
   *
   * @param coordinates {@code groupId:artifactId:version} of the artifact
   * @param model the ONNX model's classpath resource and SHA-256
   * @param tokenizer the {@code tokenizer.json}'s classpath resource and SHA-256
   * @param dimension floats per sentence embedding (the DiT's text_embedding width)
   */
  public record TextEncoderEntry(String coordinates, Resource model, Resource tokenizer, int dimension) {}

  /** A classpath resource (inside the artifact a {@link TextEncoderEntry} names) and the sha256 (hex) of its bytes. */
  public record Resource(String resource, String sha256) {}

  /** One ONNX model: its file, hash and graph signature. */
  public record ModelEntry(String file, String sha256, List<TensorSpec> inputs, List<TensorSpec> outputs) {}

  /**
   * A graph input or output.
   *
   * @param dtype {@value #FLOAT32} or {@value #INT64}
   * @param shape dimensions, {@code -1} for the dynamic batch axis
   */
  public record TensorSpec(String name, String dtype, List<Long> shape) {
    public static final String FLOAT32 = "float32";
    public static final String INT64 = "int64";

    @Override
    public String toString() {
      return name + " " + dtype + shape;
    }
  }

  /**
   * How encoded images become the encoder's input.
   *
   * @param size side S of the square input
   * @param channels 3 (RGB)
   * @param alpha {@value #ALPHA_ON_WHITE}: transparent pixels composited onto white
   * @param resize {@value #RESIZE_POLICY}: {@link dev.aligntok.inference.image.Resize#toSquare}
   */
  public record Preprocessing(int size, int channels, String alpha, String resize) {
    public static final String ALPHA_ON_WHITE = "composite-on-white";
    public static final String RESIZE_POLICY = "center-crop-square,area-average-down,bilinear-up";

    /** The one policy the runtime implements (ImageDecoder + Resize), for an S×S RGB model. */
    public static Preprocessing standard(int size) {
      return new Preprocessing(size, 3, ALPHA_ON_WHITE, RESIZE_POLICY);
    }
  }

  /**
   * The tokenizer's latent, [channels, height, width], and the per-channel statistics the DiT
   * normalises it with: the DiT sees {@code (z − mean) / std}.
   */
  public record Latent(int channels, int height, int width, List<Float> mean, List<Float> std) {
    /** From the per-channel arrays a trainer holds (e.g. a DiT checkpoint's channel mean and std). */
    public static Latent of(int channels, int height, int width, float[] mean, float[] std) {
      return new Latent(channels, height, width, boxed(mean), boxed(std));
    }

    private static List<Float> boxed(float[] values) {
      List<Float> list = new ArrayList<>(values.length);
      for (float v : values) {
        list.add(v);
      }
      return List.copyOf(list);
    }

    public int size() {
      return channels * height * width;
    }
  }

  /**
   * Class labels of the DiT. Ids are list positions; {@code nullClass} (= the number of labels) is the
   * unconditional class used by classifier-free guidance.
   */
  public record Labels(List<String> names, Map<String, List<String>> synonyms, int nullClass) {
    public static Labels of(LabelVocabulary vocabulary) {
      return new Labels(vocabulary.names(), vocabulary.synonymsByName(), vocabulary.size());
    }

    public LabelVocabulary vocabulary() {
      return LabelVocabulary.of(names, synonyms == null ? Map.of() : synonyms);
    }
  }
}
