package dev.aligntok.benchmarks.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a Java Flight Recorder file: the share of execution samples (Java code)
 * and native-method samples (JNI calls such as libtorch ops or ONNX Runtime runs) in which each
 * method is on the stack, for the threads whose name matches a pattern. A method's share is
 * inclusive (it counts its callees); a sample counts once per method however deep the recursion.
 */
public final class HotFrames {
  /** Inclusive sample counts per method, and the samples looked at. */
  public record Profile(long samples, Map<String, Long> inclusive) {
    /** The {@code top} methods whose name matches {@code include}, most samples first. */
    public Map<String, Long> top(int top, Pattern include) {
      Map<String, Long> chosen = new LinkedHashMap<>();
      inclusive.entrySet().stream()
          .filter(entry -> include.matcher(entry.getKey()).find())
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(top)
          .forEach(entry -> chosen.put(entry.getKey(), entry.getValue()));
      return chosen;
    }
  }

  private HotFrames() {}

  /** Samples of threads whose name matches {@code thread} in {@code jfr}. */
  public static Profile read(Path jfr, Pattern thread) throws IOException {
    Predicate<RecordedThread> chosen = t -> t != null && t.getJavaName() != null
        && thread.matcher(t.getJavaName()).find();
    Map<String, Long> inclusive = new HashMap<>();
    long samples = 0;
    try (RecordingFile file = new RecordingFile(jfr)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        if (!type.equals("jdk.ExecutionSample") && !type.equals("jdk.NativeMethodSample")) {
          continue;
        }
        if (!chosen.test(event.getThread("sampledThread")) || event.getStackTrace() == null) {
          continue;
        }
        samples++;
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames(event)) {
          String method = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
          if (seen.add(method)) {
            inclusive.merge(method, 1L, Long::sum);
          }
        }
      }
    }
    return new Profile(samples, inclusive);
  }

  private static List<RecordedFrame> frames(RecordedEvent event) {
    return event.getStackTrace().getFrames();
  }
}
