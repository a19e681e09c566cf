package dev.aligntok.stream.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.config.MetadataLimits;
import dev.aligntok.stream.model.RequestedClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The shared request limits, rule by rule, with their default values. */
class GenerationRulesTest {
  private static final LabelVocabulary LABELS = LabelVocabulary.of(List.of("cat", "dog", "owl"));
  private final GenerationRules rules = new GenerationRules(GenerationLimits.DEFAULT);
  private final List<GenerationRules.Problem> problems = new ArrayList<>();

  private List<String> messages() {
    return problems.stream().map(GenerationRules.Problem::message).toList();
  }

  @Test
  void idsAreOneTo256CharactersOfTheUrlSafeSetAndUuidsAndQuickstartIdsPass() {
    rules.id(UUID.randomUUID().toString(), problems);
    rules.id("qs-20240101-120000-0a1f-gen-03", problems);
    rules.id("tenant.a:req_1-x", problems);
    rules.id("x".repeat(256), problems);
    assertEquals(List.of(), problems);

    rules.id("", problems);
    rules.id("has space", problems);
    rules.id("../etc", problems);
    rules.id("x".repeat(600_000), problems);
    assertEquals(List.of("id must not be empty", "id may only contain letters, digits, '.', '_', ':' and '-'",
        "id may only contain letters, digits, '.', '_', ':' and '-'",
        "id has 600,000 characters, more than the limit of 256"), messages());
    assertTrue(problems.stream().allMatch(p -> p.field().equals("id")));
    assertFalse(rules.acceptsId(null));
  }

  @Test
  void anOverlongPromptIsRejectedByLengthBeforeAnyLookupAndIsNotQuoted() {
    String huge = "caat".repeat(250_000);
    assertEquals(-1, rules.resolveClass(null, huge, LABELS, problems));
    // One problem, the length: the vocabulary was not asked (it would have added "unknown class prompt").
    assertEquals(List.of("prompt of 1,000,000 characters exceeds the limit of 1,000"), messages());
    assertEquals("prompt", problems.get(0).field());

    problems.clear();
    assertEquals(-1, rules.resolveClass(null, " ".repeat(1_001), LABELS, problems));
    assertEquals(List.of("prompt of 1,001 characters exceeds the limit of 1,000"), messages(), "one problem per field");

    problems.clear();
    assertEquals(1, rules.resolveClass(1, huge, LABELS, problems), "classId wins, but the prompt still travels");
    assertEquals(List.of("prompt of 1,000,000 characters exceeds the limit of 1,000"), messages());

    problems.clear();
    assertEquals(2, rules.resolveClass(null, "x".repeat(990).replace("x", " ") + "owl", LABELS, problems));
    assertEquals(List.of(), problems);
    assertEquals(-1, rules.resolveClass(null, "caat", LABELS, problems));
    assertTrue(messages().get(0).startsWith("unknown class prompt 'caat'; closest: cat"), messages().toString());
  }

  @Test
  void thePromptLimitIsConfigurable() {
    GenerationRules strict = new GenerationRules(GenerationLimits.DEFAULT.withPromptLength(3));
    assertEquals(0, strict.resolveClass(null, "cat", LABELS, problems));
    assertEquals(-1, strict.resolveClass(null, "cats", LABELS, problems));
    assertEquals(List.of("prompt of 4 characters exceeds the limit of 3"), messages());
  }

  @Test
  void classIdAndPromptRules() {
    assertEquals(-1, rules.resolveClass(3, null, LABELS, problems));
    assertEquals(-1, rules.resolveClass(null, " ", LABELS, problems));
    assertEquals(-1, rules.resolveClass(null, "cat", null, problems), "no vocabulary at hand: form only");
    assertEquals(List.of("classId 3 is not in [0, 2]", "either prompt or classId is required"), messages());
  }

  @Test
  void onAFreeTextBundleAnyPromptWithinTheLimitIsAcceptedAndClassIdsStillResolve() {
    assertEquals(RequestedClass.FREE_TEXT, rules.resolveClass(null, "a smiling cat wearing sunglasses", LABELS, true, problems));
    assertEquals(RequestedClass.FREE_TEXT, rules.resolveClass(null, "caat", LABELS, true, problems), "no closest class");
    assertEquals(RequestedClass.FREE_TEXT, rules.resolveClass(null, "owl", LABELS, true, problems), "a class name is text too");
    assertEquals(RequestedClass.FREE_TEXT, rules.resolveClass(null, "", LABELS, true, problems), "empty = unconditional");
    assertEquals(RequestedClass.FREE_TEXT, rules.resolveClass(null, "x".repeat(1_000), LABELS, true, problems));
    assertEquals(1, rules.resolveClass(1, "anything", LABELS, true, problems), "classId wins");
    assertEquals(List.of(), problems);

    assertEquals(-1, rules.resolveClass(null, "x".repeat(1_001), LABELS, true, problems));
    assertEquals(-1, rules.resolveClass(3, "a cat", LABELS, true, problems));
    assertEquals(-1, rules.resolveClass(null, null, LABELS, true, problems));
    assertEquals(List.of("prompt of 1,001 characters exceeds the limit of 1,000", "classId 3 is not in [0, 2]",
        "either prompt or classId is required"), messages());
  }

  @Test
  void onAClassBundleTheSamePromptsFailAsBefore() {
    assertEquals(-1, rules.resolveClass(null, "a smiling cat wearing sunglasses", LABELS, false, problems));
    assertEquals(-1, rules.resolveClass(null, "", LABELS, false, problems));
    assertEquals(2, rules.resolveClass(null, "owl", LABELS, false, problems));
    assertTrue(messages().get(0).startsWith("unknown class prompt"), messages().toString());
    assertTrue(messages().get(0).contains("closest:"), messages().toString());
    assertEquals("either prompt or classId is required", messages().get(1));
    assertEquals(2, problems.size());
  }

  @Test
  void countStepsCfgAndIntervalKeepTheirLimits() {
    rules.count(1, problems);
    rules.count(8, problems);
    rules.steps(250, problems);
    rules.cfgScale(20f, problems);
    rules.cfgInterval(0f, 1f, problems);
    assertEquals(List.of(), problems);
    rules.count(0, problems);
    rules.count(9, problems);
    rules.steps(0, problems);
    rules.steps(251, problems);
    rules.cfgScale(Float.NaN, problems);
    rules.cfgScale(20.5f, problems);
    rules.cfgInterval(0.9f, 0.1f, problems);
    assertEquals(List.of("count 0 is not in [1, 8]", "count 9 is not in [1, 8]", "steps 0 is not in [1, 250]",
        "steps 251 is not in [1, 250]", "cfgScale NaN is not in [0, 20.0]", "cfgScale 20.5 is not in [0, 20.0]",
        "cfgInterval [0.9, 0.1] is not a range within [0, 1] (0 <= low <= high <= 1)"), messages());
  }

  @Test
  void prioritiesAreWithinMinusAndPlusOneThousand() {
    rules.priority(-1_000, problems);
    rules.priority(0, problems);
    rules.priority(1_000, problems);
    assertEquals(List.of(), problems);
    rules.priority(1_001, problems);
    rules.priority(Integer.MIN_VALUE, problems);
    assertEquals(List.of("priority 1001 is not in [-1000, 1000]", "priority -2147483648 is not in [-1000, 1000]"),
        messages());
    assertEquals("priority", problems.get(0).field());
  }

  @Test
  void metadataIsBoundedInEntriesKeyLengthAndBytesWithoutQuotingIt() {
    Map<String, String> full = new LinkedHashMap<>();
    for (int i = 0; i < 32; i++) {
      full.put("k" + i, "v");
    }
    rules.metadata(full, problems);
    rules.metadata(Map.of("k".repeat(128), "v".repeat(8192 - 128)), problems);
    rules.metadata(Map.of(), problems);
    assertEquals(List.of(), problems);

    full.put("one-too-many", "v");
    rules.metadata(full, problems);
    rules.metadata(Map.of("k".repeat(129), "v"), problems);
    rules.metadata(Map.of("k", "v".repeat(8192)), problems);
    rules.metadata(Map.of("k", "é".repeat(4096)), problems); // 1 + 8,192 bytes: é takes 2 in UTF-8
    rules.metadata(Map.of("k", "v".repeat(1_000_000)), problems);
    assertEquals(List.of("metadata has 33 entries, more than the limit of 32",
        "metadata has a key of 129 characters, more than the limit of 128",
        "metadata has more than 8,192 bytes of keys and values (UTF-8), the limit",
        "metadata has more than 8,192 bytes of keys and values (UTF-8), the limit",
        "metadata has more than 8,192 bytes of keys and values (UTF-8), the limit"), messages());
  }

  @Test
  void metadataLimitsAreConfigurable() {
    GenerationRules none = new GenerationRules(GenerationLimits.DEFAULT.withMetadata(new MetadataLimits(0, 1, 0)));
    none.metadata(Map.of(), problems);
    assertEquals(List.of(), problems);
    none.metadata(Map.of("a", ""), problems);
    assertEquals(List.of("metadata has 1 entries, more than the limit of 0"), messages());
  }
}
