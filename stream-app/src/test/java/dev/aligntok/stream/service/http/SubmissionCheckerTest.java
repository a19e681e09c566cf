package dev.aligntok.stream.service.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.service.config.GenerateSettings;
import dev.aligntok.stream.webhook.DestinationPolicy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the request limits (the same {@code GenerationRules} the generate topology
 * applies): every field's problem at once, as 400 field errors that never quote unbounded input.
 */
class SubmissionCheckerTest {
  private static final LabelVocabulary LABELS = LabelVocabulary.of(List.of("cat", "dog", "owl"));
  private static final GenerateSettings SETTINGS = new GenerateSettings(true, 8, Duration.ofMillis(100), 8, 250, 20f,
      256, Duration.ofHours(24), -1, Duration.ofHours(24), 1_000, -1_000, 1_000, null);

  private final SubmissionChecker checker =
      new SubmissionChecker(GenerateConfig.DEFAULT, new RequestIds(SETTINGS), () -> LABELS);

  private static GenerationSubmission submission(String id, String prompt, Integer priority, Map<String, String> metadata,
                                                 String sampler) {
    return new GenerationSubmission(id, prompt, null, null, null, null, null, null, sampler, priority, null, null,
        metadata, null, null);
  }

  private Map<String, String> errors(GenerationSubmission in) {
    SubmissionChecker.Checked checked = checker.check(in);
    assertNull(checked.request());
    Map<String, String> byField = new TreeMap<>();
    checked.errors().forEach(e -> byField.put(e.field(), e.message()));
    return byField;
  }

  @Test
  void aRequestWithinEveryLimitBecomesAGenerationRequest() {
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int i = 0; i < 32; i++) {
      metadata.put("k" + i, "v");
    }
    SubmissionChecker.Checked checked = checker.check(submission(null, "owl", -1_000, metadata, "heun"));
    assertEquals(List.of(), checked.errors());
    assertNotNull(checked.request());
    assertEquals(36, checked.request().getId().length(), "a UUID is generated and passes the id rule");
    assertEquals(-1_000, checked.request().getPriority());
    assertEquals(32, checked.request().getMetadata().size());
  }

  @Test
  void overlongPromptsAreRejectedByLengthWithoutALookupOrAQuote() {
    Map<String, String> errors = errors(submission("r1", "caat".repeat(150_000), null, null, null));
    assertEquals(Map.of("prompt", "prompt of 600,000 characters exceeds the limit of 1,000"), errors);
  }

  @Test
  void idPriorityMetadataAndSamplerProblemsAreFieldErrorsOfBoundedLength() {
    Map<String, String> errors = errors(submission("i".repeat(100_000), "cat", 5_000,
        Map.of("k".repeat(100_000), "v"), "S".repeat(100_000)));
    assertEquals(List.of("id", "metadata", "priority", "sampler"), List.copyOf(errors.keySet()));
    assertEquals("id has 100,000 characters, more than the limit of 256", errors.get("id"));
    assertEquals("priority 5000 is not in [-1000, 1000]", errors.get("priority"));
    assertEquals("metadata has a key of 100,000 characters, more than the limit of 128", errors.get("metadata"));
    assertEquals("must be EULER or HEUN, got a name of 100000 characters", errors.get("sampler"));

    assertEquals("metadata has more than 8,192 bytes of keys and values (UTF-8), the limit",
        errors(submission("r2", "cat", null, Map.of("pad", "x".repeat(8_190)), null)).get("metadata"));
    assertEquals("id may only contain letters, digits, '.', '_', ':' and '-'",
        errors(submission("a b", "cat", null, null, null)).get("id"));
  }

  @Test
  void onAFreeTextBundleAnyPromptWithinTheLimitBecomesARequestCarryingItsText() {
    SubmissionChecker text =
        new SubmissionChecker(GenerateConfig.DEFAULT, new RequestIds(SETTINGS), () -> LABELS, () -> true);
    SubmissionChecker.Checked cat = text.check(submission("t1", "a smiling cat wearing sunglasses", null, null, null));
    assertEquals(List.of(), cat.errors());
    assertEquals("a smiling cat wearing sunglasses", cat.request().getPrompt());
    assertNull(cat.request().getClassId());
    assertEquals(List.of(), text.check(submission("t2", "", null, null, null)).errors(), "empty = unconditional");

    assertEquals(Map.of("prompt", "prompt of 1,001 characters exceeds the limit of 1,000"),
        errorsOf(text, submission("t3", "x".repeat(1_001), null, null, null)));
    GenerationSubmission outOfRange = new GenerationSubmission("t4", "a cat", 7, null, null, null, null, null, null,
        null, null, null, null, null, null);
    assertEquals(Map.of("classId", "classId 7 is not in [0, 2]"), errorsOf(text, outOfRange));
  }

  @Test
  void onAClassBundleAFreeTextPromptIsStillRejectedWithTheClosestClasses() {
    Map<String, String> errors = errors(submission("c1", "a smiling cat wearing sunglasses", null, null, null));
    assertEquals(List.of("prompt"), List.copyOf(errors.keySet()));
    assertTrue(errors.get("prompt").startsWith("unknown class prompt"), errors.toString());
    assertTrue(errors.get("prompt").contains("closest:"), errors.toString());
    assertEquals("either prompt or classId is required", errors(submission("c2", "", null, null, null)).get("prompt"));
  }

  private static Map<String, String> errorsOf(SubmissionChecker checker, GenerationSubmission in) {
    SubmissionChecker.Checked checked = checker.check(in);
    assertNull(checked.request());
    Map<String, String> byField = new TreeMap<>();
    checked.errors().forEach(e -> byField.put(e.field(), e.message()));
    return byField;
  }

  @Test
  void unknownShortPromptsStillGetSuggestionsAndWithoutAGeneratorOnlyTheFormIsChecked() {
    assertTrue(errors(submission("r3", "caat", null, null, null)).get("prompt").contains("closest: cat"));
    SubmissionChecker noModel =
        new SubmissionChecker(GenerateConfig.DEFAULT, new RequestIds(SETTINGS), () -> null);
    assertEquals(List.of(), noModel.check(submission("r4", "unicorn", null, null, null)).errors());
    assertEquals("prompt", noModel.check(submission("r5", "x".repeat(1_001), null, null, null)).errors().get(0).field());
  }

  private static GenerationSubmission hooked(String webhook, List<String> events) {
    return new GenerationSubmission("h1", "cat", null, null, null, null, null, null, null, null, null, null, null,
        webhook, events);
  }

  @Test
  void webhooksAreCheckedAgainstTheAllowListAndCarriedNormalised() {
    SubmissionChecker withHooks = new SubmissionChecker(GenerateConfig.DEFAULT, new RequestIds(SETTINGS), () -> LABELS,
        () -> false, new DestinationPolicy("aligntok.webhooks.allowed-hosts", List.of("hooks.example.com"), 100));
    SubmissionChecker.Checked ok = withHooks.check(hooked("https://hooks.example.com/x", List.of("running", "Succeeded")));
    assertEquals(List.of(), ok.errors());
    assertEquals("https://hooks.example.com/x", ok.request().getWebhook());
    assertEquals(List.of("RUNNING", "SUCCEEDED"), ok.request().getWebhookEvents());
    assertNull(withHooks.check(hooked("https://hooks.example.com/x", null)).request().getWebhookEvents(),
        "no filter: the final states");

    Map<String, String> refused = new TreeMap<>();
    withHooks.check(hooked("http://169.254.169.254/latest", List.of("x".repeat(500)))).errors()
        .forEach(e -> refused.put(e.field(), e.message()));
    assertEquals("webhook has address 169.254.169.254, which is not on the allow-list", refused.get("webhook"));
    assertTrue(refused.get("webhookEvents").endsWith("got a name of 500 characters"), refused.toString());
    assertEquals(Map.of("webhookEvents", "webhookEvents needs a webhook URL"),
        errorsOf(withHooks, hooked(null, List.of("FAILED"))));
  }

  @Test
  void withWebhooksOffASubmissionNamingOneIsRefused() {
    assertEquals(Map.of("webhook", "webhooks are not enabled on this service (aligntok.webhooks.enabled)"),
        errors(hooked("https://hooks.example.com/x", null)));
  }
}
