package dev.aligntok.stream.generate;

import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.output.BoundedText;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.output.OutputEncoder;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Writes a request's state to the compacted status topic, keyed by request id. Every status carries
 * the request's owner (null when unknown), which the HTTP API uses to answer only its owner, and its
 * webhook with the event filter, for the webhook delivery ({@link RequestTags}).
 */
final class StatusUpdates {
  /** Error kinds on FAILED statuses, for machines. */
  static final String INVALID_REQUEST = "InvalidRequest";
  static final String UNREADABLE_PAYLOAD = "UnreadablePayload";
  static final String MODEL_FAILURE = "ModelFailure";
  static final String OVERSIZED_RESULT = "OversizedResult";
  static final String BLOB_WRITE_FAILED = "BlobWriteFailed";
  static final String TOO_LARGE_TO_QUEUE = "TooLargeToQueue";
  /** Its batch runs kept failing (crash, timeout, error) until it failed alone max-attempts times. */
  static final String QUARANTINED = "Quarantined";

  private final OutputEncoder<GenerationStatus> statuses;
  private final Supplier<String> currentBundleId;

  /** @param currentBundleId the bundle loaded now (it changes on hot reload), for statuses before a result exists */
  StatusUpdates(OutputEncoder<GenerationStatus> statuses, Supplier<String> currentBundleId) {
    this.statuses = statuses;
    this.currentBundleId = currentBundleId;
  }

  void queued(Emitter out, String requestId, RequestTags tags, int total) {
    send(out, status(out, requestId, tags, GenerationState.QUEUED, total));
  }

  /**
   * RUNNING, {@code progress} of its sampler steps × images done (0 to 1).
   *
   * @param runsOn the bundle its batch holds
   */
  void running(Emitter out, String requestId, RequestTags tags, int total, String runsOn, float progress) {
    GenerationStatus status = status(out, requestId, tags, GenerationState.RUNNING, total);
    status.setBundleId(runsOn);
    status.setProgress(Math.max(0f, Math.min(progress, 1f)));
    send(out, status);
  }

  /** @param producedBy the bundle that generated the images */
  void succeeded(Emitter out, String requestId, RequestTags tags, int total, String producedBy) {
    GenerationStatus status = status(out, requestId, tags, GenerationState.SUCCEEDED, total);
    status.setBundleId(producedBy);
    status.setProgress(1f);
    status.setCompleted(total);
    send(out, status);
  }

  void failed(Emitter out, String requestId, RequestTags tags, int total, String errorKind, String error) {
    ended(out, requestId, tags, GenerationState.FAILED, total, errorKind, error);
  }

  void cancelled(Emitter out, String requestId, RequestTags tags, int total, String reason) {
    ended(out, requestId, tags, GenerationState.CANCELLED, total, "Cancelled", reason);
  }

  void expired(Emitter out, String requestId, RequestTags tags, int total, String reason) {
    ended(out, requestId, tags, GenerationState.EXPIRED, total, "DeadlinePassed", reason);
  }

  private void ended(Emitter out, String requestId, RequestTags tags, GenerationState state, int total, String errorKind,
                     String error) {
    GenerationStatus status = status(out, requestId, tags, state, total);
    status.setErrorClass(errorKind);
    status.setError(BoundedText.of(error)); // error texts may quote the input
    send(out, status);
  }

  private GenerationStatus status(Emitter out, String requestId, RequestTags tags, GenerationState state, int total) {
    return GenerationStatus.newBuilder()
        .setRequestId(requestId)
        .setOwner(tags.owner())
        .setWebhook(tags.webhook())
        .setWebhookEvents(tags.webhookEvents())
        .setState(state)
        .setTotal(Math.max(total, 0))
        .setBundleId(currentBundleId.get())
        .setUpdatedAtMs(Instant.ofEpochMilli(out.nowMs()))
        .build();
  }

  private void send(Emitter out, GenerationStatus status) {
    out.send(status.getRequestId(), statuses.encodeUnchecked(status));
  }
}
