package dev.aligntok.stream.model;

import dev.aligntok.inference.sampling.SamplerSettings;
import java.util.Map;

/**
 * A generation request after validation: the class resolved (or, on a bundle that takes free text,
 * the prompt kept as the condition), every optional parameter filled from the bundle's defaults, the
 * seed fixed. Image {@code i} of the request uses seed {@code seed + i}.
 *
 * @param requestId     the request's id
 * @param classId       class in the bundle's vocabulary, or {@link RequestedClass#FREE_TEXT} for a free-text request
 * @param className     that class's name; null for a free-text request
 * @param seed          seed of image 0
 * @param count         images wanted, &ge; 1
 * @param settings      solver, steps, shift and guidance
 * @param returnLatents whether the latents go out with the images
 * @param metadata      copied to every output
 * @param prompt        the free text the images are conditioned on ("" = unconditional); null for a class request
 */
public record ValidatedGeneration(String requestId, int classId, String className, long seed, int count,
                                  SamplerSettings settings, boolean returnLatents, Map<String, String> metadata,
                                  String prompt) {
  public ValidatedGeneration {
    if (requestId == null || settings == null) {
      throw new IllegalArgumentException("requestId and settings must be set");
    }
    if (prompt == null && className == null) {
      throw new IllegalArgumentException("a class request needs its className");
    }
    if (prompt != null && (classId != RequestedClass.FREE_TEXT || className != null)) {
      throw new IllegalArgumentException("a free-text request has classId " + RequestedClass.FREE_TEXT
          + " and no className, got classId " + classId);
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A class request. */
  public ValidatedGeneration(String requestId, int classId, String className, long seed, int count,
                             SamplerSettings settings, boolean returnLatents, Map<String, String> metadata) {
    this(requestId, classId, className, seed, count, settings, returnLatents, metadata, null);
  }

  /** A free-text request: {@code prompt} is the condition, no class is named. */
  public static ValidatedGeneration ofFreeText(String requestId, String prompt, long seed, int count,
                                               SamplerSettings settings, boolean returnLatents,
                                               Map<String, String> metadata) {
    if (prompt == null) {
      throw new IllegalArgumentException("a free-text request needs its prompt");
    }
    return new ValidatedGeneration(requestId, RequestedClass.FREE_TEXT, null, seed, count, settings, returnLatents,
        metadata, prompt);
  }

  /** Whether the prompt itself is the condition (validated on a bundle that takes free text). */
  public boolean freeText() {
    return prompt != null;
  }

  /**
   * The class this request was validated for, to check against the bundle that runs it.
   *
   * @throws IllegalStateException for a free-text request, which names no class
   */
  public RequestedClass requestedClass() {
    if (freeText()) {
      throw new IllegalStateException("request " + requestId + " is free text: it names no class");
    }
    return new RequestedClass(classId, className);
  }

  /** Seed of image {@code index}. */
  public long seedOf(int index) {
    return seed + index;
  }
}
