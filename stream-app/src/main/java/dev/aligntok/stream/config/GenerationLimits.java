package dev.aligntok.stream.config;

import dev.aligntok.inference.sampling.SamplerSettings;

/**
 * What a generation request may ask for and carry. Requests outside these bounds fail validation
 * (HTTP 400; on the prompts topic a dead letter + FAILED status) rather than occupying the
 * accelerator or bloating the records written for them. The checks themselves live in
 * {@code generate.GenerationRules}, shared by the HTTP API and the generate topology.
 *
 * @param maxCount        images per request, &ge; 1
 * @param maxSteps        solver steps, in [1, {@link SamplerSettings#MAX_STEPS}]
 * @param maxCfgScale     largest guidance scale, &ge; 0
 * @param maxIdLength     longest request id (it becomes a key of compacted topics); see {@link RequestIdFormat}
 * @param maxPromptLength longest prompt, in characters; checked before the prompt is looked up
 * @param minPriority     lowest priority
 * @param maxPriority     highest priority (higher runs first)
 * @param metadata        bounds on the metadata copied onto every output
 */
public record GenerationLimits(int maxCount, int maxSteps, float maxCfgScale, int maxIdLength, int maxPromptLength,
                               int minPriority, int maxPriority, MetadataLimits metadata) {
  public static final int DEFAULT_MAX_PROMPT_LENGTH = 1_000;
  public static final int DEFAULT_MIN_PRIORITY = -1_000;
  public static final int DEFAULT_MAX_PRIORITY = 1_000;
  public static final GenerationLimits DEFAULT = new GenerationLimits(8, 250, 20f, 256);

  public GenerationLimits {
    if (maxCount < 1) {
      throw new IllegalArgumentException("maxCount must be >= 1, got " + maxCount);
    }
    if (maxSteps < 1 || maxSteps > SamplerSettings.MAX_STEPS) {
      throw new IllegalArgumentException("maxSteps must be in [1, " + SamplerSettings.MAX_STEPS + "], got " + maxSteps);
    }
    if (!(maxCfgScale >= 0) || !Float.isFinite(maxCfgScale)) {
      throw new IllegalArgumentException("maxCfgScale must be finite and >= 0, got " + maxCfgScale);
    }
    if (maxIdLength < 1) {
      throw new IllegalArgumentException("maxIdLength must be >= 1, got " + maxIdLength);
    }
    if (maxPromptLength < 1) {
      throw new IllegalArgumentException("maxPromptLength must be >= 1, got " + maxPromptLength);
    }
    if (minPriority > 0 || maxPriority < 0) {
      // 0 is the default priority of the schema and the HTTP API, so it must be allowed.
      throw new IllegalArgumentException("the priority range must contain 0, got [" + minPriority + ", " + maxPriority + "]");
    }
    if (metadata == null) {
      throw new IllegalArgumentException("metadata limits must be set");
    }
  }

  /** The given count, steps, cfg and id limits; default prompt, priority and metadata limits. */
  public GenerationLimits(int maxCount, int maxSteps, float maxCfgScale, int maxIdLength) {
    this(maxCount, maxSteps, maxCfgScale, maxIdLength, DEFAULT_MAX_PROMPT_LENGTH, DEFAULT_MIN_PRIORITY,
        DEFAULT_MAX_PRIORITY, MetadataLimits.DEFAULT);
  }

  public RequestIdFormat idFormat() {
    return new RequestIdFormat(maxIdLength);
  }

  public GenerationLimits withPromptLength(int newMaxPromptLength) {
    return new GenerationLimits(maxCount, maxSteps, maxCfgScale, maxIdLength, newMaxPromptLength, minPriority,
        maxPriority, metadata);
  }

  public GenerationLimits withPriorities(int newMinPriority, int newMaxPriority) {
    return new GenerationLimits(maxCount, maxSteps, maxCfgScale, maxIdLength, maxPromptLength, newMinPriority,
        newMaxPriority, metadata);
  }

  public GenerationLimits withMetadata(MetadataLimits newMetadata) {
    return new GenerationLimits(maxCount, maxSteps, maxCfgScale, maxIdLength, maxPromptLength, minPriority,
        maxPriority, newMetadata);
  }
}
