package dev.aligntok.stream.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.stream.blob.FileBlobStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngPlacementTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};

  @TempDir Path out;

  @Test
  void atOrBelowTheThresholdThePngTravelsInlineAboveItOnlyItsUri() {
    FileBlobStore blobs = new FileBlobStore(List.of(), out);
    PngPlacement placement = new PngPlacement(Optional.of(blobs), PNG.length);
    GeneratedImage.Builder inline = GeneratedImage.newBuilder();
    placement.place(inline, "r", 0, PNG);
    assertEquals(PNG.length, inline.getPng().remaining());
    assertNull(inline.getUri());

    byte[] larger = new byte[PNG.length + 1];
    GeneratedImage.Builder stored = GeneratedImage.newBuilder();
    placement.place(stored, "r", 1, larger);
    assertNull(stored.getPng());
    URI uri = URI.create(stored.getUri());
    assertEquals("file", uri.getScheme());
    assertArrayEquals(larger, blobs.read(uri, 100));
  }

  @Test
  void anyRequestIdMakesASafeKeyAndDistinctIdsMakeDistinctKeys() {
    FileBlobStore blobs = new FileBlobStore(List.of(), out);
    List<String> ids = List.of("../../etc/passwd", "a/b", ".", "..", "req:1", "req%3A1", "é", "é".repeat(256), "x".repeat(300));
    List<String> keys = ids.stream().map(id -> PngPlacement.key(id, 3)).toList();
    assertEquals(ids.size(), keys.stream().distinct().count(), keys.toString());
    for (String key : keys) {
      assertTrue(key.endsWith("/3.png"), key);
      assertTrue(key.length() < 200, "file names stay far below 255 bytes: " + key);
      URI uri = blobs.write(key, PNG);
      assertTrue(Path.of(uri).startsWith(out), uri + " stays under the output root");
    }
    assertNotEquals(PngPlacement.key("req:1", 0), PngPlacement.key("req%3A1", 0), "percent-encoding cannot collide");
  }

  @Test
  void anIdKeepsItsKeySoAReplayAfterAnUpgradeRewritesTheSameBlob() {
    // The hex parts are the first 16 digits of `printf 'req-1' | sha256sum` and `printf 'req:1' | sha256sum`.
    assertEquals("req-1-9456bdfa12ea7695/0.png", PngPlacement.key("req-1", 0));
    assertEquals("req%3A1-656bf8074f205466/2.png", PngPlacement.key("req:1", 2));
  }

  @Test
  void aThresholdWithoutABlobStoreIsAConfigurationError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PngPlacement(Optional.empty(), 10));
    assertTrue(e.getMessage().contains("aligntok.blob.output-root"), e.getMessage());
  }
}
