package dev.aligntok.stream.service.http;

import dev.aligntok.events.CfgInterval;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.Sampler;
import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.generate.GenerationRules;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.service.config.WebhookSettings;
import dev.aligntok.stream.service.model.ModelPorts;
import dev.aligntok.stream.webhook.DestinationPolicy;
import dev.aligntok.stream.webhook.WebhookEvents;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Checks a submission field by field and turns it into a GenerationRequest. The API answers 400
 * with every field's problem at once. The limits are {@link GenerationRules}, which the generate
 * topology applies again to whatever reaches the prompts topic (from this API or any other
 * producer), against the bundle that will run it. Class names are checked here too when this
 * instance has the generator loaded; on a bundle that takes free text any prompt within the length
 * limit passes (the empty one too).
 */
@Singleton
final class SubmissionChecker {
  private static final int MAX_QUOTED_SAMPLER = 16;
  private final GenerationRules rules;
  private final RequestIds ids;
  private final Supplier<LabelVocabulary> labels;
  private final BooleanSupplier acceptsFreeText;
  private final Clock clock;
  private final DestinationPolicy webhooks;

  @Inject
  SubmissionChecker(GenerateConfig config, RequestIds ids, ModelPorts model, WebhookSettings webhooks) {
    // Asked each time: a hot reload may bring another vocabulary or bundle kind. Without a generator
    // here only the form is checked; the generate topology resolves the class.
    this(config, ids, () -> model.generator().map(ImageGeneratorPort::labels).orElse(null),
        () -> model.generator().map(ImageGeneratorPort::acceptsFreeText).orElse(false),
        webhooks.enabled() ? webhooks.policy() : null);
  }

  /** As for a class-conditional bundle. */
  SubmissionChecker(GenerateConfig config, RequestIds ids, Supplier<LabelVocabulary> labels) {
    this(config, ids, labels, () -> false);
  }

  /**
   * @param labels          the vocabulary in service now, or null when this instance has no generator
   * @param acceptsFreeText whether the bundle in service now takes free-text prompts (false without a generator)
   */
  SubmissionChecker(GenerateConfig config, RequestIds ids, Supplier<LabelVocabulary> labels,
                    BooleanSupplier acceptsFreeText) {
    this(config, ids, labels, acceptsFreeText, null);
  }

  /** @param webhooks where webhook calls may go; null: webhooks are off and a submission naming one is refused */
  SubmissionChecker(GenerateConfig config, RequestIds ids, Supplier<LabelVocabulary> labels,
                    BooleanSupplier acceptsFreeText, DestinationPolicy webhooks) {
    this.webhooks = webhooks;
    this.rules = new GenerationRules(config.limits());
    this.ids = ids;
    this.labels = labels;
    this.acceptsFreeText = acceptsFreeText;
    this.clock = Clock.systemUTC();
  }

  /** The request, or the problems found (then the request is null). */
  record Checked(GenerationRequest request, List<FieldError> errors) {}

  Checked check(GenerationSubmission in) {
    List<GenerationRules.Problem> problems = new ArrayList<>();
    String id = in.id() == null ? ids.newId() : in.id();
    rules.id(id, problems);
    resolveClass(in, problems);
    int count = in.count() == null ? 1 : in.count();
    rules.count(count, problems);
    if (in.steps() != null) {
      rules.steps(in.steps(), problems);
    }
    if (in.cfgScale() != null) {
      rules.cfgScale(in.cfgScale(), problems);
    }
    int priority = in.priority() == null ? 0 : in.priority();
    rules.priority(priority, problems);
    Map<String, String> metadata = in.metadata() == null ? Map.of() : in.metadata();
    rules.metadata(metadata, problems);
    CfgInterval interval = interval(in.cfgInterval(), problems);
    List<FieldError> errors = new ArrayList<>();
    problems.forEach(problem -> errors.add(new FieldError(problem.field(), problem.message())));
    Sampler sampler = sampler(in.sampler(), errors);
    webhook(in, errors);
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
        .setPriority(priority)
        .setDeadlineMs(in.deadlineMs() == null ? null : Instant.ofEpochMilli(in.deadlineMs()))
        .setReturnLatents(Boolean.TRUE.equals(in.returnLatents()))
        .setMetadata(metadata)
        .setCreatedAtMs(now)
        .setWebhook(in.webhook())
        .setWebhookEvents(in.webhook() == null ? null : WebhookEvents.normalised(in.webhookEvents()))
        .build();
    return new Checked(request, List.of());
  }

  private void resolveClass(GenerationSubmission in, List<GenerationRules.Problem> problems) {
    rules.resolveClass(in.classId(), in.prompt(), labels.get(), acceptsFreeText.getAsBoolean(), problems);
  }

  /** The interval as the event carries it; its range is a {@link GenerationRules} limit. */
  private CfgInterval interval(GenerationSubmission.Interval in, List<GenerationRules.Problem> problems) {
    if (in == null) {
      return null;
    }
    if (in.low() == null || in.high() == null) {
      problems.add(new GenerationRules.Problem("cfgInterval", "cfgInterval needs both low and high"));
      return null;
    }
    int before = problems.size();
    rules.cfgInterval(in.low(), in.high(), problems);
    return problems.size() == before ? new CfgInterval(in.low(), in.high()) : null;
  }

  /** The webhook URL against the allow-list (no name lookup here: delivery resolves and checks again), and its filter. */
  private void webhook(GenerationSubmission in, List<FieldError> errors) {
    if (in.webhook() == null) {
      if (in.webhookEvents() != null) {
        errors.add(new FieldError("webhookEvents", "webhookEvents needs a webhook URL"));
      }
      return;
    }
    if (webhooks == null) {
      errors.add(new FieldError("webhook", "webhooks are not enabled on this service (aligntok.webhooks.enabled)"));
    } else {
      webhooks.problemWith(in.webhook()).ifPresent(problem -> errors.add(new FieldError("webhook", "webhook " + problem)));
    }
    WebhookEvents.problemWith(in.webhookEvents())
        .ifPresent(problem -> errors.add(new FieldError("webhookEvents", "webhookEvents " + problem)));
  }

  private static Sampler sampler(String name, List<FieldError> errors) {
    if (name == null) {
      return null;
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.equals(Sampler.EULER.name()) && !upper.equals(Sampler.HEUN.name())) {
      // Quoted only when short: the name is caller input of any length.
      String got = name.length() <= MAX_QUOTED_SAMPLER ? "got " + name : "got a name of " + name.length() + " characters";
      errors.add(new FieldError("sampler", "must be EULER or HEUN, " + got));
      return null;
    }
    return Sampler.valueOf(upper);
  }
}
