package dev.aligntok.inference.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.aligntok.inference.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The file-level half of loading a bundle, no native code involved: the manifest parses and has a
 * known format version, passes {@link ManifestChecks}, every declared file exists with its declared
 * sha256, the id matches the content, and {@code tensorrt.json} parses with a profile per model.
 */
public final class BundleFiles {
  /** A bundle whose files are all present and intact. */
  public record Verified(Path dir, BundleManifest manifest, TensorRtConfig tensorRt, Map<String, Path> modelFiles) {}

  private BundleFiles() {}

  /** @throws BundleException for the first problem found */
  public static Verified verify(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new BundleException(dir, "directory", "does not exist or is not a directory");
    }
    Path manifestFile = dir.resolve(BundleManifest.MANIFEST_FILE);
    if (!Files.isRegularFile(manifestFile)) {
      throw new BundleException(dir, BundleManifest.MANIFEST_FILE, "missing");
    }
    JsonNode tree = parseTree(dir, manifestFile);
    checkFormat(dir, tree);
    BundleManifest manifest = bind(dir, tree, BundleManifest.class, BundleManifest.MANIFEST_FILE);
    ManifestChecks.check(manifest, dir);

    Map<String, String> hashes = new LinkedHashMap<>();
    Map<String, Path> modelFiles = new LinkedHashMap<>();
    manifest.models().forEach((role, entry) -> {
      modelFiles.put(role, checkedFile(dir, entry.file(), entry.sha256(), "models." + role));
      hashes.put(entry.file(), entry.sha256());
    });
    Path tensorRtFile = checkedFile(dir, manifest.tensorrt().file(), manifest.tensorrt().sha256(), "tensorrt");
    hashes.put(manifest.tensorrt().file(), manifest.tensorrt().sha256());

    String actualId = ContentHash.bundleId(tree, hashes);
    if (!actualId.equals(manifest.id())) {
      throw new BundleException(dir, "manifest.json field id", "is '" + manifest.id()
          + "' but the content hashes to '" + actualId + "' (the manifest or a file was changed after export)");
    }
    TensorRtConfig tensorRt = bind(dir, parseTree(dir, tensorRtFile), TensorRtConfig.class, manifest.tensorrt().file());
    for (String role : manifest.models().keySet()) {
      if (tensorRt.profiles() == null || !tensorRt.profiles().containsKey(role)) {
        throw new BundleException(dir, manifest.tensorrt().file(), "no batch profile for model '" + role + "'");
      }
    }
    return new Verified(dir, manifest, tensorRt, modelFiles);
  }

  private static void checkFormat(Path dir, JsonNode tree) {
    if (!tree.isObject()) {
      throw new BundleException(dir, BundleManifest.MANIFEST_FILE, "is not a JSON object");
    }
    String format = tree.path("format").asText(null);
    if (!BundleManifest.FORMAT.equals(format)) {
      throw new BundleException(dir, "manifest.json field format", "is '" + format + "', expected '" + BundleManifest.FORMAT + "'");
    }
    JsonNode version = tree.path("formatVersion");
    if (!version.isInt() || version.asInt() != BundleManifest.FORMAT_VERSION) {
      throw new BundleException(dir, "manifest.json field formatVersion", "is " + version
          + ", this runtime reads only version " + BundleManifest.FORMAT_VERSION);
    }
  }

  private static Path checkedFile(Path dir, String name, String declaredSha256, String field) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new BundleException(dir, name, "missing (declared by manifest.json field " + field + ")");
    }
    String actual = Sha256.of(file);
    if (!actual.equals(declaredSha256)) {
      throw new BundleException(dir, name, "sha256 is " + actual + " but manifest.json field " + field
          + ".sha256 says " + declaredSha256 + " (file changed or truncated)");
    }
    return file;
  }

  private static JsonNode parseTree(Path dir, Path file) {
    try {
      return BundleJson.mapper().readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new BundleException(dir, file.getFileName().toString(), "is not valid JSON: " + e.getOriginalMessage()
          + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
    } catch (IOException e) {
      throw new BundleException(dir, file.getFileName().toString(), "cannot be read: " + e.getMessage(), e);
    }
  }

  private static <T> T bind(Path dir, JsonNode tree, Class<T> type, String file) {
    try {
      return BundleJson.mapper().treeToValue(tree, type);
    } catch (ValueInstantiationException e) {
      // A record constructor refused a value (e.g. SamplerSettings' range checks): say which field.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new BundleException(dir, file + " field " + fieldPath(e), cause.getMessage(), e);
    } catch (JsonMappingException e) {
      throw new BundleException(dir, file + " field " + fieldPath(e), "does not match the expected structure: "
          + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new BundleException(dir, file, "does not match the expected structure: " + e.getOriginalMessage(), e);
    }
  }

  /** "sampler.steps", "models.dit.inputs[0]": where in the JSON a binding failed. */
  private static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "(top level)" : path.toString();
  }
}
