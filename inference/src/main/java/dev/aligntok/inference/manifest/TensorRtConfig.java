package dev.aligntok.inference.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code tensorrt.json}: how the TensorRT execution provider should build engines for this
 * bundle. Profiles are batch sizes only, because every other axis of every model is fixed.
 *
 * @param fp16 whether engines may use fp16 kernels
 * @param engineCacheDir directory name (relative to the runtime's cache root) for built engines
 * @param timingCacheDir directory name (relative to the runtime's cache root) for the timing cache
 * @param profiles by model role ({@link BundleManifest#ENCODER}, ...)
 */
public record TensorRtConfig(boolean fp16, String engineCacheDir, String timingCacheDir, Map<String, BatchProfile> profiles) {

  /** Smallest, most common and largest batch the engine is built for. */
  public record BatchProfile(int min, int opt, int max) {
    public BatchProfile {
      if (min < 1 || opt < min || max < opt) {
        throw new IllegalArgumentException("batch profile needs 1 <= min <= opt <= max, got min " + min
            + ", opt " + opt + ", max " + max);
      }
    }
  }

  /** fp16, caches "trt-engines" and "trt-timing", the same profile for every role. */
  public static TensorRtConfig uniform(BatchProfile profile, boolean fp16, Iterable<String> roles) {
    Map<String, BatchProfile> profiles = new LinkedHashMap<>();
    roles.forEach(role -> profiles.put(role, profile));
    return new TensorRtConfig(fp16, "trt-engines", "trt-timing", Collections.unmodifiableMap(profiles));
  }
}
