package dev.aligntok.stream.model;

import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.Map;

/**
 * A generation request after validation: the class resolved, every optional parameter filled
 * from the bundle's defaults, the seed fixed. Image {@code i} of the request uses seed {@code seed + i}.
 *
 * @param requestId     the request's id
 * @param classId       class in the bundle's vocabulary
 * @param className     that class's name
 * @param seed          seed of image 0
 * @param count         images wanted, &ge; 1
 * @param settings      solver, steps, shift and guidance
 * @param returnLatents whether the latents go out with the images
 * @param metadata      copied to every output
 */
public record ValidatedGeneration(String requestId, int classId, String className, long seed, int count,
                                  SamplerSettings settings, boolean returnLatents, Map<String, String> metadata) {
  public ValidatedGeneration {
    if (requestId == null || className == null || settings == null) {
      throw new IllegalArgumentException("requestId, className and settings must be set");
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** The class this request was validated for, to check against the bundle that runs it. */
  public RequestedClass requestedClass() {
    return new RequestedClass(classId, className);
  }

  /** Seed of image {@code index}. */
  public long seedOf(int index) {
    return seed + index;
  }
}
