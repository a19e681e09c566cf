package dev.aligntok.stream.service.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/**
 * Body of {@code POST /v1/generations}; every field optional except prompt or classId. Unset
 * sampler parameters take the bundle's defaults (see the GenerationRequest schema).
 *
 * @param id         caller-chosen id ({@code [A-Za-z0-9._:-]}); a UUID when absent
 * @param deadlineMs not started by then (ms since the epoch) → EXPIRED
 * @param webhook       URL to POST a signed call to when the request enters a state of {@code webhookEvents}
 * @param webhookEvents state names (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED); absent: the final ones
 */
@Serdeable
public record GenerationSubmission(
    @Nullable String id,
    @Nullable String prompt,
    @Nullable Integer classId,
    @Nullable Long seed,
    @Nullable Integer count,
    @Nullable Integer steps,
    @Nullable Float cfgScale,
    @Nullable Interval cfgInterval,
    @Nullable String sampler,
    @Nullable Integer priority,
    @Nullable Long deadlineMs,
    @Nullable Boolean returnLatents,
    @Nullable Map<String, String> metadata,
    @Nullable String webhook,
    @Nullable List<String> webhookEvents) {

  /** Guidance interval in flow time, 0 ≤ low ≤ high ≤ 1. */
  @Serdeable
  public record Interval(@Nullable Float low, @Nullable Float high) {}
}
