package dev.aligntok.inference.runtime;

import dev.aligntok.inference.sampling.SamplerSettings;

/**
 * One image to generate: a class given by id or by prompt (resolved with the bundle's label
 * vocabulary), the noise seed and stream ({@link dev.aligntok.inference.sampling.PortableNoise}),
 * and sampler settings (null = the bundle's defaults).
 */
public record SamplingJob(Integer classId, String prompt, long seed, long stream, SamplerSettings settings) {
  public SamplingJob {
    if ((classId == null) == (prompt == null)) {
      throw new IllegalArgumentException("give exactly one of classId and prompt, got classId " + classId
          + " and prompt " + (prompt == null ? "null" : "'" + prompt + "'"));
    }
  }

  public static SamplingJob ofClass(int classId, long seed, long stream) {
    return new SamplingJob(classId, null, seed, stream, null);
  }

  public static SamplingJob ofPrompt(String prompt, long seed, long stream) {
    return new SamplingJob(null, prompt, seed, stream, null);
  }

  public SamplingJob withSettings(SamplerSettings newSettings) {
    return new SamplingJob(classId, prompt, seed, stream, newSettings);
  }
}
