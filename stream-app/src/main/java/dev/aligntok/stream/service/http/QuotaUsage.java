package dev.aligntok.stream.service.http;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A caller's quotas and what it uses of them (body of {@code GET /v1/quotas}); 0 means unlimited.
 *
 * @param inFlight             the caller's generation requests queued or running now, on all instances
 * @param maxInFlight          how many it may have
 * @param submissionsPerMinute submissions per minute and route it may make
 */
@Serdeable
public record QuotaUsage(long inFlight, int maxInFlight, int submissionsPerMinute) {}
