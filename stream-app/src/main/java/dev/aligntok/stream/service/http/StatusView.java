package dev.aligntok.stream.service.http;

import dev.aligntok.events.GenerationStatus;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** Body of {@code GET /v1/generations/{id}}: the request's latest status. */
@Serdeable
public record StatusView(String id, String state, float progress, int completed, int total,
                         @Nullable String error, @Nullable String errorClass, @Nullable String bundleId,
                         long updatedAtMs) {
  static StatusView of(GenerationStatus status) {
    return new StatusView(status.getRequestId(), status.getState().name(), status.getProgress(), status.getCompleted(),
        status.getTotal(), status.getError(), status.getErrorClass(), status.getBundleId(),
        status.getUpdatedAtMs() == null ? 0 : status.getUpdatedAtMs().toEpochMilli());
  }
}
