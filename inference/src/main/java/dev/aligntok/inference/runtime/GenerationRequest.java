package dev.aligntok.inference.runtime;

import dev.aligntok.inference.sampling.SamplerSettings;

/**
 * One image to generate: a class given by id or by prompt (resolved with the bundle's label
 * vocabulary), the noise seed and stream ({@link dev.aligntok.inference.sampling.PortableNoise}),
 * and sampler settings (null = the bundle's defaults).
 */
public record GenerationRequest(Integer classId, String prompt, long seed, long stream, SamplerSettings settings) {
  public GenerationRequest {
    if ((classId == null) == (prompt == null)) {
      throw new IllegalArgumentException("give exactly one of classId and prompt, got classId " + classId
          + " and prompt " + (prompt == null ? "null" : "'" + prompt + "'"));
    }
  }

  public static GenerationRequest ofClass(int classId, long seed, long stream) {
    return new GenerationRequest(classId, null, seed, stream, null);
  }

  public static GenerationRequest ofPrompt(String prompt, long seed, long stream) {
    return new GenerationRequest(null, prompt, seed, stream, null);
  }

  public GenerationRequest withSettings(SamplerSettings newSettings) {
    return new GenerationRequest(classId, prompt, seed, stream, newSettings);
  }
}
