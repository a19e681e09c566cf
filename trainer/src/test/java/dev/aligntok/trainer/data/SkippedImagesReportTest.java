package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SkippedImagesReportTest {
  @Test
  void summaryCountsByReason() {
    SkippedImagesReport report = SkippedImagesReport.builder("demo")
        .considered().considered().considered().considered()
        .skip("a", "/x/a.png", SkipReason.CORRUPT, "bad zlib")
        .skip("b", "/x/b.png", SkipReason.CORRUPT, "truncated")
        .skip("c", "/x/c.png", SkipReason.MISSING_FILE, "no such file")
        .build();
    assertEquals(3, report.skippedCount());
    assertEquals(Map.of(SkipReason.MISSING_FILE, 1, SkipReason.CORRUPT, 2), report.countsByReason());
    assertEquals("demo: 4 images considered, 3 skipped (MISSING_FILE 1, CORRUPT 2)", report.summary());
    assertEquals("demo: 9 images considered, 0 skipped", SkippedImagesReport.none("demo", 9).summary());
  }
}
