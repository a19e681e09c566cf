package dev.aligntok.stream.generate;

import dev.aligntok.events.CfgInterval;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.Sampler;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.model.BundleView;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.RequestedClass;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Checks a request against the configured limits ({@link GenerationRules}, shared with the HTTP API)
 * and the bundle (its classes, whether it takes free text, its sampler defaults) and fills in what it
 * leaves unset. Reports every problem at once, so a caller fixes them in one go; the message quotes
 * the id only when it is a well-formed one.
 */
final class GenerationValidator {
  private final GenerationRules rules;
  private final ImageGeneratorPort generator;

  GenerationValidator(GenerationLimits limits, ImageGeneratorPort generator) {
    this.rules = new GenerationRules(limits);
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
    List<GenerationRules.Problem> problems = new ArrayList<>();
    String id = request.getId();
    rules.id(id, problems);
    rules.count(request.getCount(), problems);
    SamplerSettings defaults = bundle.defaultSettings();
    int steps = request.getSteps() == null ? defaults.steps() : request.getSteps();
    rules.steps(steps, problems);
    float cfgScale = request.getCfgScale() == null ? defaults.cfgScale() : request.getCfgScale();
    rules.cfgScale(cfgScale, problems);
    CfgInterval interval = request.getCfgInterval();
    float low = interval == null ? defaults.cfgLow() : interval.getLow();
    float high = interval == null ? defaults.cfgHigh() : interval.getHigh();
    rules.cfgInterval(low, high, problems);
    rules.priority(request.getPriority(), problems);
    rules.metadata(request.getMetadata(), problems);
    rules.webhook(request.getWebhook(), request.getWebhookEvents(), problems);
    List<String> other = new ArrayList<>();
    Solver solver = solver(request.getSampler(), defaults.solver(), other);
    other.forEach(problem -> problems.add(new GenerationRules.Problem("sampler", problem)));
    // Asked once: on the live port (admission) a reload may change the answer between two calls.
    boolean freeText = bundle.acceptsFreeText();
    int classId = rules.resolveClass(request.getClassId(), request.getPrompt(), bundle.labels(), freeText, problems);
    if (!problems.isEmpty()) {
      String which = rules.acceptsId(id) ? " " + id : "";
      throw new InvalidInputException("invalid generation request" + which + ": "
          + String.join("; ", problems.stream().map(GenerationRules.Problem::message).toList()));
    }
    SamplerSettings settings = new SamplerSettings(steps, solver, defaults.shift(), cfgScale, low, high);
    long seed = request.getSeed() == null ? derivedSeed(id) : request.getSeed();
    if (RequestedClass.namesNoClass(request.getClassId(), request.getPrompt(), freeText)) {
      return ValidatedGeneration.ofFreeText(id, request.getPrompt(), seed, request.getCount(), settings,
          request.getReturnLatents(), request.getMetadata());
    }
    return new ValidatedGeneration(id, classId, bundle.labels().name(classId), seed, request.getCount(), settings,
        request.getReturnLatents(), request.getMetadata());
  }

  /** Whether {@code id} may key a status record or be quoted in an error. */
  boolean acceptsId(String id) {
    return rules.acceptsId(id);
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

  /**
   * A seed fixed by the id alone, so a replay after a crash (exactly-once reprocessing) draws the
   * same noise as the first attempt would have.
   */
  static long derivedSeed(String id) {
    return UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).getMostSignificantBits();
  }
}
