package dev.aligntok.stream.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The latent lookup's stored record: read back as written, and bounded whatever the latent held. */
class LatentSummaryTest {
  @Test
  void readsBackWhatItWrote() {
    LatentSummary summary = new LatentSummary("img-1", List.of(4, 8, 8), "F16", "sha256:ab", null,
        Map.of("decode", 1.5, "encode", 12.25), 1_700_000_000_123L, "key:alice");
    assertEquals(summary, LatentSummary.fromBytes(summary.toBytes()));
  }

  @Test
  void keepsAtMostItsBoundsOfTimingsDimensionsAndText() {
    Map<String, Double> timings = new LinkedHashMap<>();
    for (int i = 0; i < 100; i++) {
      timings.put("t" + i + "x".repeat(1000), (double) i);
    }
    LatentSummary summary = LatentSummary.fromBytes(new LatentSummary("i".repeat(5000), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9),
        "F32", "b".repeat(5000), "l".repeat(5000), timings, 1L, "o".repeat(5000)).toBytes());
    assertEquals(LatentSummary.MAX_TIMINGS, summary.timingsMs().size());
    assertEquals(15.0, summary.timingsMs().values().stream().mapToDouble(Double::doubleValue).max().orElseThrow(),
        "the first ones are kept");
    assertEquals(LatentSummary.MAX_DIMS, summary.shape().size());
    assertEquals(LatentSummary.MAX_TEXT_CHARS, summary.label().length());
    assertEquals(LatentSummary.MAX_TEXT_CHARS, summary.owner().length());
    assertTrue(summary.toBytes().length < 20_000, summary.toBytes().length + " bytes");
    assertNull(new LatentSummary("i", List.of(), "F32", "b", null, Map.of(), 0, null).owner());
  }
}
