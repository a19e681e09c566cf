package dev.aligntok.trainer.encoders;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js layers model read from a directory: the Keras topology and the dequantised
 * weights as named float32 tensors in Keras layout.
 *
 * <p>Reads both the standard converter output ({@code model.json} + binary {@code *.bin}-style
 * shards named in the manifest) and the browserified form nsfwjs ships ({@code model.min.js}
 * exporting the same JSON as a JavaScript literal, and {@code <shard>.min.js} exporting the
 * shard's bytes as one base64 string). Within a manifest group the shards are concatenated and the
 * weights read back to back in manifest order (see {@link TfjsWeightDecoder} for the value formats).
 */
public final class TfjsLayersModel {
  /** Model files tried in this order. */
  static final List<String> MODEL_FILES = List.of("model.json", "model.min.js", "model.js");

  private final Path directory;
  private final String kerasVersion;
  private final List<KerasLayer> layers;
  private final Map<String, KerasLayer> layersByName;
  private final Map<String, FloatTensor> weights;

  private TfjsLayersModel(Path directory, String kerasVersion, List<KerasLayer> layers, Map<String, FloatTensor> weights) {
    this.directory = directory;
    this.kerasVersion = kerasVersion;
    this.layers = List.copyOf(layers);
    Map<String, KerasLayer> byName = new LinkedHashMap<>();
    for (KerasLayer layer : layers) {
      if (byName.put(layer.name(), layer) != null) {
        throw new IllegalArgumentException(directory + ": two layers are named " + layer.name());
      }
    }
    this.layersByName = Collections.unmodifiableMap(byName);
    this.weights = Collections.unmodifiableMap(weights);
  }

  /** True when {@code directory} holds one of {@link #MODEL_FILES}. */
  public static boolean isModelDirectory(Path directory) {
    return MODEL_FILES.stream().anyMatch(name -> Files.isRegularFile(directory.resolve(name)));
  }

  /** Loads the model in {@code directory}; errors name the file and what is wrong in it. */
  public static TfjsLayersModel load(Path directory) {
    Path modelFile = MODEL_FILES.stream().map(directory::resolve).filter(Files::isRegularFile).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no TF.js model in " + directory + " (looked for " + MODEL_FILES + ")"));
    String source = modelFile.toString();
    JsonNode root = JsLiteralParser.parseExportedLiteral(readText(modelFile), source);
    JsonNode topology = root.path("modelTopology");
    if (!topology.isObject()) {
      throw new IllegalArgumentException(source + ": no modelTopology object");
    }
    // Keras 2.2 nests the model under model_config; newer converters put class_name/config at the top.
    JsonNode modelConfig = topology.has("model_config") ? topology.get("model_config") : topology;
    JsonNode layerNodes = modelConfig.path("config").path("layers");
    if (!layerNodes.isArray()) {
      throw new IllegalArgumentException(source + ": modelTopology has no config.layers list (is this a graph model?)");
    }
    List<KerasLayer> layers = new ArrayList<>();
    for (JsonNode node : layerNodes) {
      layers.add(KerasLayer.fromJson(node, source));
    }
    Map<String, FloatTensor> weights = readWeights(directory, root.path("weightsManifest"), source);
    return new TfjsLayersModel(directory, topology.path("keras_version").asText("unknown"), layers, weights);
  }

  private static Map<String, FloatTensor> readWeights(Path directory, JsonNode manifest, String source) {
    if (!manifest.isArray()) {
      throw new IllegalArgumentException(source + ": no weightsManifest list");
    }
    Map<String, FloatTensor> weights = new LinkedHashMap<>();
    for (JsonNode group : manifest) {
      List<TfjsWeightSpec> specs = new ArrayList<>();
      long expectedBytes = 0;
      for (JsonNode entry : group.path("weights")) {
        TfjsWeightSpec spec = TfjsWeightSpec.fromJson(entry, source);
        specs.add(spec);
        expectedBytes += spec.storedBytes();
      }
      ByteBuffer data = readGroup(directory, group.path("paths"), source);
      if (data.remaining() != expectedBytes) {
        throw new IllegalArgumentException(source + ": the shards " + group.path("paths") + " hold " + data.remaining()
            + " bytes but their manifest entries describe " + expectedBytes);
      }
      for (TfjsWeightSpec spec : specs) {
        FloatTensor tensor = new FloatTensor(spec.name(), spec.shape(), TfjsWeightDecoder.decode(spec, data));
        if (weights.put(spec.name(), tensor) != null) {
          throw new IllegalArgumentException(source + ": weight " + spec.name() + " appears twice in the manifest");
        }
      }
    }
    return weights;
  }

  private static ByteBuffer readGroup(Path directory, JsonNode paths, String source) {
    if (!paths.isArray() || paths.isEmpty()) {
      throw new IllegalArgumentException(source + ": a weightsManifest group has no paths");
    }
    List<byte[]> shards = new ArrayList<>();
    int total = 0;
    for (JsonNode path : paths) {
      byte[] shard = readShard(directory, path.asText());
      shards.add(shard);
      total = Math.addExact(total, shard.length);
    }
    ByteBuffer all = ByteBuffer.allocate(total);
    shards.forEach(all::put);
    return all.flip();
  }

  // A shard is the named file itself (binary) or, as nsfwjs bundles it, <name>.min.js / <name>.js
  // exporting the bytes as a base64 string.
  private static byte[] readShard(Path directory, String name) {
    Path binary = directory.resolve(name);
    if (Files.isRegularFile(binary)) {
      try {
        return Files.readAllBytes(binary);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read weight shard " + binary, e);
      }
    }
    for (String suffix : List.of(".min.js", ".js")) {
      Path bundle = directory.resolve(name + suffix);
      if (Files.isRegularFile(bundle)) {
        JsonNode literal = JsLiteralParser.parseExportedLiteral(readText(bundle), bundle.toString());
        if (!literal.isTextual()) {
          throw new IllegalArgumentException(bundle + ": expected the bundle to export a base64 string");
        }
        try {
          return Base64.getDecoder().decode(literal.asText());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(bundle + ": exported string is not valid base64: " + e.getMessage(), e);
        }
      }
    }
    throw new IllegalArgumentException("weight shard '" + name + "' not found in " + directory
        + " (looked for " + name + ", " + name + ".min.js, " + name + ".js)");
  }

  private static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  public Path directory() {
    return directory;
  }

  public String kerasVersion() {
    return kerasVersion;
  }

  /** All layers in topology order. */
  public List<KerasLayer> layers() {
    return layers;
  }

  /** The named layer; fails naming the model directory when absent. */
  public KerasLayer layer(String name) {
    KerasLayer layer = layersByName.get(name);
    if (layer == null) {
      throw new IllegalArgumentException("the model in " + directory + " has no layer '" + name + "'");
    }
    return layer;
  }

  public boolean hasWeight(String name) {
    return weights.containsKey(name);
  }

  /** The named weight ({@code <layer>/<variable>}); fails naming the model directory when absent. */
  public FloatTensor weight(String name) {
    FloatTensor tensor = weights.get(name);
    if (tensor == null) {
      throw new IllegalArgumentException("the model in " + directory + " has no weight '" + name + "'");
    }
    return tensor;
  }

  /** All weights in manifest order. */
  public Map<String, FloatTensor> weights() {
    return weights;
  }
}
