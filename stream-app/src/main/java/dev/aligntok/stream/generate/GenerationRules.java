package dev.aligntok.stream.generate;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.model.RequestedClass;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one home of a generation request's limits, applied by the HTTP API (400 with field errors)
 * and by the generate topology to whatever reaches the prompts topic (dead letter + FAILED status).
 * Each check adds a {@link Problem} whose message names the field and the limit, and never quotes
 * input that may be unbounded (ids, prompts and metadata are described by their size instead).
 * Every check costs at most a pass over input the limits allow: the prompt's length is checked
 * before any vocabulary lookup.
 */
public final class GenerationRules {
  /** One broken rule: the request field and a sentence that starts with it. */
  public record Problem(String field, String message) {}

  private final GenerationLimits limits;

  public GenerationRules(GenerationLimits limits) {
    this.limits = limits;
  }

  /** Whether {@code id} has the form of a request id (and may therefore be a key or be quoted). */
  public boolean acceptsId(String id) {
    return limits.idFormat().accepts(id);
  }

  public void id(String id, List<Problem> problems) {
    limits.idFormat().problem(id).ifPresent(problem -> problems.add(new Problem("id", "id " + problem)));
  }

  public void count(int count, List<Problem> problems) {
    if (count < 1 || count > limits.maxCount()) {
      problems.add(new Problem("count", "count " + count + " is not in [1, " + limits.maxCount() + "]"));
    }
  }

  public void steps(int steps, List<Problem> problems) {
    if (steps < 1 || steps > limits.maxSteps()) {
      problems.add(new Problem("steps", "steps " + steps + " is not in [1, " + limits.maxSteps() + "]"));
    }
  }

  public void cfgScale(float cfgScale, List<Problem> problems) {
    if (!(cfgScale >= 0 && cfgScale <= limits.maxCfgScale())) {
      problems.add(new Problem("cfgScale", "cfgScale " + cfgScale + " is not in [0, " + limits.maxCfgScale() + "]"));
    }
  }

  public void cfgInterval(float low, float high, List<Problem> problems) {
    if (!(low >= 0 && high <= 1 && low <= high)) {
      problems.add(new Problem("cfgInterval", "cfgInterval [" + low + ", " + high
          + "] is not a range within [0, 1] (0 <= low <= high <= 1)"));
    }
  }

  public void priority(int priority, List<Problem> problems) {
    if (priority < limits.minPriority() || priority > limits.maxPriority()) {
      problems.add(new Problem("priority", "priority " + priority + " is not in [" + limits.minPriority() + ", "
          + limits.maxPriority() + "]"));
    }
  }

  public void metadata(Map<String, String> metadata, List<Problem> problems) {
    limits.metadata().problem(metadata)
        .ifPresent(problem -> problems.add(new Problem("metadata", "metadata " + problem)));
  }

  /** Longest webhook URL a request may carry (it is copied onto every status, so it is bounded here). */
  public static final int MAX_WEBHOOK_CHARS = 4096;
  /** Most webhook event names a request may carry, and their longest. */
  public static final int MAX_WEBHOOK_EVENTS = 16;
  public static final int MAX_WEBHOOK_EVENT_CHARS = 32;

  /**
   * The size of a request's webhook and event filter; what they mean (scheme, allowed hosts, state
   * names) is the webhook delivery's to check, when it calls.
   */
  public void webhook(String url, List<String> events, List<Problem> problems) {
    if (!webhookFits(url, events)) {
      problems.add(new Problem("webhook", "webhook needs at most " + MAX_WEBHOOK_CHARS + " characters and at most "
          + MAX_WEBHOOK_EVENTS + " event names of at most " + MAX_WEBHOOK_EVENT_CHARS + " characters"));
    }
  }

  /** Whether {@link #webhook} finds no problem. */
  public static boolean webhookFits(String url, List<String> events) {
    return (url == null || url.length() <= MAX_WEBHOOK_CHARS)
        && (events == null || (events.size() <= MAX_WEBHOOK_EVENTS
            && events.stream().allMatch(e -> e != null && e.length() <= MAX_WEBHOOK_EVENT_CHARS)));
  }

  /**
   * The class the request asks for, resolved by {@link RequestedClass}: {@code classId} when set (it
   * takes precedence), otherwise the prompt looked up in {@code labels}. The prompt's length is
   * checked first, whether or not it is used, since it travels with the request; an over-long prompt
   * is never looked up.
   *
   * @param labels the vocabulary to resolve against; null when none is at hand (only the form is checked)
   * @return the class id, or -1 when there is none (a problem was added) or no vocabulary was given
   */
  public int resolveClass(Integer classId, String prompt, LabelVocabulary labels, List<Problem> problems) {
    return resolveClass(classId, prompt, labels, false, problems);
  }

  /**
   * As {@link #resolveClass(Integer, String, LabelVocabulary, List)}, on a bundle that may take free
   * text: there, a prompt without a {@code classId} is accepted as it is, whatever it says (empty =
   * unconditional), if it fits the length limit; a {@code classId} still resolves against {@code labels}.
   *
   * @param acceptsFreeText whether the bundle is text-conditioned ({@code BundleView.acceptsFreeText})
   * @return the class id; {@link RequestedClass#FREE_TEXT} for a free-text request; -1 also when a
   *     problem was added or no vocabulary was given
   */
  public int resolveClass(Integer classId, String prompt, LabelVocabulary labels, boolean acceptsFreeText,
                          List<Problem> problems) {
    boolean promptFits = prompt == null || checkPromptLength(prompt, problems);
    if (classId == null && !promptFits) {
      return -1;
    }
    if (RequestedClass.namesNoClass(classId, prompt, acceptsFreeText)) {
      return RequestedClass.FREE_TEXT;
    }
    try {
      if (labels == null) {
        RequestedClass.checkNamed(classId, prompt);
        return -1;
      }
      return RequestedClass.resolve(classId, prompt, labels).id();
    } catch (RequestedClass.Unresolved unresolved) {
      problems.add(new Problem(unresolved.field(), unresolved.getMessage()));
      return -1;
    }
  }

  private boolean checkPromptLength(String prompt, List<Problem> problems) {
    if (prompt.length() <= limits.maxPromptLength()) {
      return true;
    }
    problems.add(new Problem("prompt", String.format(Locale.ROOT, "prompt of %,d characters exceeds the limit of %,d",
        prompt.length(), limits.maxPromptLength())));
    return false;
  }
}
