package dev.aligntok.inference.manifest;

import dev.aligntok.inference.io.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundle id: {@code "sha256:" + hex} of a text that lists every bundle file with the sha256 of
 * its bytes (sorted by file name), then the manifest without its {@code id}, as canonical JSON (keys
 * sorted, no whitespace). The manifest part is re-serialised from the parsed JSON tree, so the writer
 * and the loader hash the same thing whatever the indentation of the file on disk.
 */
public final class ContentHash {
  private static final String DOMAIN = "aligntok-bundle-id/1\n";
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();

  private ContentHash() {}

  /**
   * @param manifest the manifest JSON tree (its {@code id} field, if any, is ignored)
   * @param fileHashes file name → sha256 hex of its bytes, for every file besides the manifest
   */
  public static String bundleId(JsonNode manifest, Map<String, String> fileHashes) {
    ObjectNode withoutId = ((ObjectNode) manifest).deepCopy();
    withoutId.remove("id");
    StringBuilder text = new StringBuilder(DOMAIN);
    new TreeMap<>(fileHashes).forEach((file, hash) -> text.append(file).append(' ').append(hash).append('\n'));
    try {
      text.append(CANONICAL.writeValueAsString(withoutId));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed JSON tree could not be serialised", e);
    }
    return "sha256:" + Sha256.of(text.toString());
  }
}
