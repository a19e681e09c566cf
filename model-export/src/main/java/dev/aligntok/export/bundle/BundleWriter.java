package dev.aligntok.export.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.inference.manifest.BundleJson;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.BundleManifest.Checkpoint;
import dev.aligntok.inference.manifest.BundleManifest.FileEntry;
import dev.aligntok.inference.manifest.BundleManifest.Labels;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.BundleManifest.ModelEntry;
import dev.aligntok.inference.manifest.BundleManifest.Preprocessing;
import dev.aligntok.inference.manifest.BundleManifest.Source;
import dev.aligntok.inference.manifest.BundleManifest.TextEncoderEntry;
import dev.aligntok.inference.manifest.ContentHash;
import dev.aligntok.inference.manifest.ManifestChecks;
import dev.aligntok.inference.manifest.TensorRtConfig;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.io.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Writes a model bundle directory (see {@link BundleManifest}): {@code encoder.onnx},
 * {@code decoder.onnx}, optionally {@code dit.onnx}, {@code tensorrt.json} and {@code manifest.json}
 * with the content id. Model signatures are read from the ONNX bytes; the manifest passes the same
 * {@link ManifestChecks} as the loader before anything is written, and the directory appears
 * atomically (written beside it, then moved), so a reader never sees half a bundle.
 *
 * <pre>
 *   new BundleWriter("emoji-aligntok")
 *       .tokenizer(encoderGraph, decoderGraph, 64, new Latent(4, 8, 8, mean, std))
 *       .tokenizerSource(checkpointDir, weightsSha256)
 *       .dit(ditGraph, vocabulary, SamplerSettings.defaults())
 *       .ditSource(ditCheckpointDir, ditWeightsSha256)
 *       .metric("rFID", 3.1)
 *       .write(bundleDir);
 * </pre>
 */
public final class BundleWriter {
  /** Batch 1..64, optimised for 8, fp16: a starting point until serving measurements say otherwise. */
  public static final TensorRtConfig.BatchProfile DEFAULT_PROFILE = new TensorRtConfig.BatchProfile(1, 8, 64);

  private final String name;
  private Instant createdAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private byte[] encoder;
  private byte[] decoder;
  private byte[] dit;
  private int imageSize;
  private Latent latent;
  private LabelVocabulary labels;
  private SamplerSettings sampler;
  private Checkpoint tokenizerSource;
  private Checkpoint ditSource;
  private TensorRtConfig tensorRt;
  private TextEncoderEntry textEncoder;
  private final Map<String, Object> metrics = new LinkedHashMap<>();

  public BundleWriter(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("bundle name must not be blank");
    }
    this.name = name;
  }

  /** The tokenizer: encoder ({@code image} → {@code latent}) and decoder ({@code latent} → {@code image}). */
  public BundleWriter tokenizer(OnnxGraph encoderGraph, OnnxGraph decoderGraph, int imageSize, Latent latent) {
    return tokenizer(encoderGraph.toBytes(), decoderGraph.toBytes(), imageSize, latent);
  }

  public BundleWriter tokenizer(byte[] encoderOnnx, byte[] decoderOnnx, int imageSize, Latent latent) {
    this.encoder = Objects.requireNonNull(encoderOnnx, "encoderOnnx");
    this.decoder = Objects.requireNonNull(decoderOnnx, "decoderOnnx");
    this.imageSize = imageSize;
    this.latent = Objects.requireNonNull(latent, "latent");
    return this;
  }

  /** The DiT ({@code latent}, {@code t}, {@code class} → {@code velocity}), its labels and sampler defaults. */
  public BundleWriter dit(OnnxGraph ditGraph, LabelVocabulary vocabulary, SamplerSettings defaults) {
    return dit(ditGraph.toBytes(), vocabulary, defaults);
  }

  public BundleWriter dit(byte[] ditOnnx, LabelVocabulary vocabulary, SamplerSettings defaults) {
    this.dit = Objects.requireNonNull(ditOnnx, "ditOnnx");
    this.labels = Objects.requireNonNull(vocabulary, "vocabulary");
    this.sampler = Objects.requireNonNull(defaults, "defaults");
    return this;
  }

  /**
   * The text encoder a text DiT was trained with, referenced by Maven coordinates and hashes (its
   * model is not copied into the bundle); required with a text DiT, refused with a class DiT.
   */
  public BundleWriter textEncoder(TextEncoderEntry entry) {
    this.textEncoder = Objects.requireNonNull(entry, "entry");
    return this;
  }

  /** The tokenizer checkpoint directory and the sha256 of its weights file. */
  public BundleWriter tokenizerSource(Path checkpoint, String weightsSha256) {
    this.tokenizerSource = new Checkpoint(checkpoint.toString(), weightsSha256);
    return this;
  }

  public BundleWriter ditSource(Path checkpoint, String weightsSha256) {
    this.ditSource = new Checkpoint(checkpoint.toString(), weightsSha256);
    return this;
  }

  /** TensorRT profiles; default {@link #DEFAULT_PROFILE} for every model, fp16, caches "trt-engines"/"trt-timing". */
  public BundleWriter tensorRt(TensorRtConfig config) {
    this.tensorRt = Objects.requireNonNull(config, "config");
    return this;
  }

  public BundleWriter createdAt(Instant instant) {
    this.createdAt = Objects.requireNonNull(instant, "instant");
    return this;
  }

  /** A number (or short text) measured at export; kept in the manifest as given. */
  public BundleWriter metric(String key, Object value) {
    metrics.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Writes the bundle to {@code dir}, which must not exist yet.
   *
   * @return the manifest as written, with its id
   * @throws dev.aligntok.inference.manifest.BundleException if the manifest would not load
   */
  public BundleManifest write(Path dir) throws IOException {
    if (encoder == null) {
      throw new IllegalStateException("no tokenizer given: call tokenizer(...) before write");
    }
    if (Files.exists(dir)) {
      throw new IOException("bundle directory " + dir + " already exists; bundles are immutable, write a new one");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    Map<String, ModelEntry> models = new LinkedHashMap<>();
    addModel(BundleManifest.ENCODER, encoder, files, models);
    addModel(BundleManifest.DECODER, decoder, files, models);
    if (dit != null) {
      addModel(BundleManifest.DIT, dit, files, models);
    }
    TensorRtConfig trt = tensorRt != null ? tensorRt : TensorRtConfig.uniform(DEFAULT_PROFILE, true, models.keySet());
    ObjectMapper json = BundleJson.mapper();
    byte[] trtBytes = json.writeValueAsBytes(trt);
    files.put(BundleManifest.TENSORRT_FILE, trtBytes);

    BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, BundleManifest.FORMAT_VERSION, null, name,
        createdAt.toString(), new Source(tokenizerSource, ditSource), models,
        new FileEntry(BundleManifest.TENSORRT_FILE, Sha256.of(trtBytes)), Preprocessing.standard(imageSize),
        latent, labels == null ? null : Labels.of(labels), sampler, Collections.unmodifiableMap(new LinkedHashMap<>(metrics)),
        textEncoder);
    ManifestChecks.check(manifest, dir);

    Map<String, String> hashes = new LinkedHashMap<>();
    files.forEach((file, bytes) -> hashes.put(file, Sha256.of(bytes)));
    JsonNode withoutId = json.readTree(json.writeValueAsBytes(manifest));
    BundleManifest withId = manifest.withId(ContentHash.bundleId(withoutId, hashes));
    files.put(BundleManifest.MANIFEST_FILE, json.writeValueAsBytes(withId));
    writeAtomically(dir, files);
    return withId;
  }

  private static void addModel(String role, byte[] onnx, Map<String, byte[]> files, Map<String, ModelEntry> models) {
    OnnxSignature signature = OnnxSignature.of(onnx, role);
    String file = role + ".onnx";
    files.put(file, onnx);
    models.put(role, new ModelEntry(file, Sha256.of(onnx), signature.inputs(), signature.outputs()));
  }

  private static void writeAtomically(Path dir, Map<String, byte[]> files) throws IOException {
    Path absolute = dir.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path staging = Files.createTempDirectory(absolute.getParent(), "." + absolute.getFileName() + ".writing-");
    try {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Files.write(staging.resolve(file.getKey()), file.getValue());
      }
      Files.move(staging, absolute, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(staging);
      throw e;
    }
  }

  private static void deleteQuietly(Path staging) {
    try {
      Directories.deleteRecursively(staging);
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: a leftover ".writing-" directory is harmless and visibly named
    }
  }
}
