package dev.aligntok.inference.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private String[] lines() {
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? new String[0] : text.split("\n");
  }

  @Test
  void aCountShowsBarStepDetailsRateAndEta() {
    // Tests run without a console, so each update is its own line.
    new ProgressLine(out, "stage1", 0, 40).update(10, "loss 0.5");
    new ProgressLine(out, "latents", 0, 8, "images").update(8, "");

    String[] lines = lines();
    assertEquals(2, lines.length);
    assertTrue(lines[0].matches("stage1 \\[#####\\.{15}] 10/40 loss 0\\.5 [0-9.,]+ steps/s ETA (\\?|\\d+:\\d\\d:\\d\\d)"), lines[0]);
    assertTrue(lines[1].matches("latents \\[#{20}] 8/8 [0-9.,]+ images/s ETA (\\?|0:00:00)"), lines[1]);
  }

  @Test
  void aStateIsPrintedWhenItChangesAtMostOnceASecondUnlessForced() {
    ProgressLine line = ProgressLine.states(out, System.nanoTime());
    line.state("a", false);
    line.state("a", true);
    line.state("b", false);
    line.state("c", true);

    String[] lines = lines();
    assertEquals(2, lines.length, String.join("|", lines));
    assertTrue(lines[0].matches(" {2}\\[ {1,2}\\d+\\.\\ds] a"), lines[0]);
    assertTrue(lines[1].matches(" {2}\\[ {1,2}\\d+\\.\\ds] c"), lines[1]);
  }

  @Test
  void aLineOfStatesHasNoCount() {
    ProgressLine line = ProgressLine.states(out, System.nanoTime());
    assertThrows(IllegalStateException.class, () -> line.update(1, ""));
  }
}
