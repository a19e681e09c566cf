package dev.aligntok.stream.service.http;

import dev.aligntok.events.CfgInterval;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.Sampler;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.service.model.ModelPorts;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a submission field by field and turns it into a GenerationRequest. The API answers 400
 * with every field's problem at once; the generate topology validates again whatever reaches the
 * prompts topic (from this API or any other producer), against the bundle that will run it.
 * Class names are checked here too when this instance has the generator loaded.
 */
@Singleton
final class SubmissionChecker {
  private final GenerationLimits limits;
  private final RequestIds ids;
  private final ModelPorts model;
  private final Clock clock;

  SubmissionChecker(GenerateConfig config, RequestIds ids, ModelPorts model) {
    this.limits = config.limits();
    this.ids = ids;
    this.model = model;
    this.clock = Clock.systemUTC();
  }

  /** The request, or the problems found (then the request is null). */
  record Checked(GenerationRequest request, List<FieldError> errors) {}

  Checked check(GenerationSubmission in) {
    List<FieldError> errors = new ArrayList<>();
    String id = in.id() == null ? ids.newId() : in.id();
    ids.problem(id).ifPresent(problem -> errors.add(new FieldError("id", problem)));
    checkClass(in, errors);
    int count = in.count() == null ? 1 : in.count();
    if (count < 1 || count > limits.maxCount()) {
      errors.add(new FieldError("count", "must be in [1, " + limits.maxCount() + "], got " + count));
    }
    if (in.steps() != null && (in.steps() < 1 || in.steps() > limits.maxSteps())) {
      errors.add(new FieldError("steps", "must be in [1, " + limits.maxSteps() + "], got " + in.steps()));
    }
    if (in.cfgScale() != null && !(in.cfgScale() >= 0 && in.cfgScale() <= limits.maxCfgScale())) {
      errors.add(new FieldError("cfgScale", "must be in [0, " + limits.maxCfgScale() + "], got " + in.cfgScale()));
    }
    CfgInterval interval = interval(in.cfgInterval(), errors);
    Sampler sampler = sampler(in.sampler(), errors);
    Instant now = clock.instant();
    if (in.deadlineMs() != null && in.deadlineMs() <= now.toEpochMilli()) {
      errors.add(new FieldError("deadlineMs", "is in the past (" + Instant.ofEpochMilli(in.deadlineMs()) + ")"));
    }
    if (!errors.isEmpty()) {
      return new Checked(null, List.copyOf(errors));
    }
    GenerationRequest request = GenerationRequest.newBuilder()
        .setId(id)
        .setPrompt(in.prompt())
        .setClassId(in.classId())
        .setSeed(in.seed())
        .setCount(count)
        .setSteps(in.steps())
        .setCfgScale(in.cfgScale())
        .setCfgInterval(interval)
        .setSampler(sampler)
        .setPriority(in.priority() == null ? 0 : in.priority())
        .setDeadlineMs(in.deadlineMs() == null ? null : Instant.ofEpochMilli(in.deadlineMs()))
        .setReturnLatents(Boolean.TRUE.equals(in.returnLatents()))
        .setMetadata(in.metadata() == null ? Map.of() : in.metadata())
        .setCreatedAtMs(now)
        .build();
    return new Checked(request, List.of());
  }

  private void checkClass(GenerationSubmission in, List<FieldError> errors) {
    if (in.classId() == null && (in.prompt() == null || in.prompt().isBlank())) {
      errors.add(new FieldError("prompt", "either prompt or classId is required"));
      return;
    }
    // Asked each time: a hot reload may bring another vocabulary.
    Optional<LabelVocabulary> labels = model.generator().map(ImageGeneratorPort::labels);
    if (labels.isEmpty()) {
      return; // no generator here: the generate topology resolves the class
    }
    LabelVocabulary vocabulary = labels.get();
    if (in.classId() != null) {
      if (in.classId() < 0 || in.classId() >= vocabulary.size()) {
        errors.add(new FieldError("classId", "must be in [0, " + (vocabulary.size() - 1) + "], got " + in.classId()));
      }
      return;
    }
    try {
      vocabulary.id(in.prompt());
    } catch (IllegalArgumentException unknown) {
      errors.add(new FieldError("prompt", unknown.getMessage()));
    }
  }

  private static CfgInterval interval(GenerationSubmission.Interval in, List<FieldError> errors) {
    if (in == null) {
      return null;
    }
    if (in.low() == null || in.high() == null) {
      errors.add(new FieldError("cfgInterval", "needs both low and high"));
      return null;
    }
    if (!(in.low() >= 0 && in.high() <= 1 && in.low() <= in.high())) {
      errors.add(new FieldError("cfgInterval", "must satisfy 0 <= low <= high <= 1, got [" + in.low() + ", "
          + in.high() + "]"));
      return null;
    }
    return new CfgInterval(in.low(), in.high());
  }

  private static Sampler sampler(String name, List<FieldError> errors) {
    if (name == null) {
      return null;
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.equals(Sampler.EULER.name()) && !upper.equals(Sampler.HEUN.name())) {
      errors.add(new FieldError("sampler", "must be EULER or HEUN, got " + name));
      return null;
    }
    return Sampler.valueOf(upper);
  }
}
