package dev.aligntok.stream.generate;

import dev.aligntok.events.CfgInterval;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.Sampler;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.model.BundleView;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Checks a request against the configured limits and the bundle (its classes and sampler defaults)
 * and fills in what it leaves unset. Reports every problem at once, so a caller fixes them in one go.
 */
final class GenerationValidator {
  private final GenerationLimits limits;
  private final ImageGeneratorPort generator;

  GenerationValidator(GenerationLimits limits, ImageGeneratorPort generator) {
    this.limits = limits;
    this.generator = generator;
  }

  /**
   * Against the bundle in service now.
   *
   * @throws InvalidInputException naming every problem
   */
  ValidatedGeneration validate(GenerationRequest request) {
    return validate(request, generator);
  }

  /**
   * Against {@code bundle} (a batch's leased bundle).
   *
   * @throws InvalidInputException naming every problem
   */
  ValidatedGeneration validate(GenerationRequest request, BundleView bundle) {
    List<String> problems = new ArrayList<>();
    String id = request.getId();
    if (id == null || id.isBlank()) {
      problems.add("id is blank");
    } else if (id.length() > limits.maxIdLength()) {
      problems.add("id has " + id.length() + " characters, more than " + limits.maxIdLength());
    }
    int count = request.getCount();
    if (count < 1 || count > limits.maxCount()) {
      problems.add("count " + count + " is not in [1, " + limits.maxCount() + "]");
    }
    SamplerSettings defaults = bundle.defaultSettings();
    int steps = request.getSteps() == null ? defaults.steps() : request.getSteps();
    if (steps < 1 || steps > limits.maxSteps()) {
      problems.add("steps " + steps + " is not in [1, " + limits.maxSteps() + "]");
    }
    float cfgScale = request.getCfgScale() == null ? defaults.cfgScale() : request.getCfgScale();
    if (!(cfgScale >= 0 && cfgScale <= limits.maxCfgScale())) {
      problems.add("cfgScale " + cfgScale + " is not in [0, " + limits.maxCfgScale() + "]");
    }
    CfgInterval interval = request.getCfgInterval();
    float low = interval == null ? defaults.cfgLow() : interval.getLow();
    float high = interval == null ? defaults.cfgHigh() : interval.getHigh();
    if (!(low >= 0 && high <= 1 && low <= high)) {
      problems.add("cfgInterval [" + low + ", " + high + "] is not a range within [0, 1]");
    }
    Solver solver = solver(request.getSampler(), defaults.solver(), problems);
    int classId = resolveClass(request, bundle.labels(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException("invalid generation request " + id + ": " + String.join("; ", problems));
    }
    SamplerSettings settings = new SamplerSettings(steps, solver, defaults.shift(), cfgScale, low, high);
    long seed = request.getSeed() == null ? derivedSeed(id) : request.getSeed();
    return new ValidatedGeneration(id, classId, bundle.labels().name(classId), seed, count, settings,
        request.getReturnLatents(), request.getMetadata());
  }

  /** Whether {@code id} may name a request at all (not blank, within the id length limit). */
  boolean isPlausibleId(String id) {
    return id != null && !id.isBlank() && id.length() <= limits.maxIdLength();
  }

  private static Solver solver(Sampler sampler, Solver fallback, List<String> problems) {
    if (sampler == null) {
      return fallback;
    }
    return switch (sampler) {
      case EULER -> Solver.EULER;
      case HEUN -> Solver.HEUN;
      default -> {
        problems.add("sampler " + sampler + " is not known to this service (EULER, HEUN)");
        yield fallback;
      }
    };
  }

  /** The class id, or -1 after recording why there is none. */
  private static int resolveClass(GenerationRequest request, LabelVocabulary labels, List<String> problems) {
    if (request.getClassId() != null) {
      int classId = request.getClassId();
      if (classId < 0 || classId >= labels.size()) {
        problems.add("classId " + classId + " is not in [0, " + (labels.size() - 1) + "]");
        return -1;
      }
      return classId;
    }
    if (request.getPrompt() == null) {
      problems.add("neither prompt nor classId is set");
      return -1;
    }
    try {
      return labels.id(request.getPrompt());
    } catch (IllegalArgumentException unknown) {
      problems.add(unknown.getMessage());
      return -1;
    }
  }

  /**
   * A seed fixed by the id alone, so a replay after a crash (exactly-once reprocessing) draws the
   * same noise as the first attempt would have.
   */
  static long derivedSeed(String id) {
    return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
  }
}
