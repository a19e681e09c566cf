package dev.aligntok.benchmarks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotFramesTest {
  private static volatile double sink;

  @Test
  void aBusyMethodDominatesItsThreadsSamplesAndOtherThreadsAreLeftOut(@TempDir Path dir) throws Exception {
    Path jfr = dir.resolve("busy.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.start();
      Thread busy = new Thread(HotFramesTest::spin, "busy-worker");
      busy.start();
      busy.join();
      recording.stop();
      recording.dump(jfr);
    }

    HotFrames.Profile profile = HotFrames.read(jfr, Pattern.compile("^busy-worker$"));
    Map<String, Long> top = profile.top(5, Pattern.compile("HotFramesTest"));

    assertTrue(profile.samples() >= 10, "expected samples of the busy thread, got " + profile.samples());
    String spin = HotFramesTest.class.getName() + ".spin";
    assertTrue(top.containsKey(spin), top.toString());
    assertTrue(top.get(spin) >= 0.9 * profile.samples(), "spin is on the stack of nearly every sample: " + top);
    assertEquals(0, HotFrames.read(jfr, Pattern.compile("^no-such-thread$")).samples());
  }

  private static void spin() {
    long until = System.nanoTime() + 600_000_000L;
    double x = 0;
    while (System.nanoTime() < until) {
      for (int i = 0; i < 10_000; i++) {
        x += Math.sqrt(i + x);
      }
    }
    sink = x;
  }
}
