package dev.aligntok.stream.generate;

import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.stream.batch.BatchTraits;
import dev.aligntok.stream.batch.BatchWork;
import dev.aligntok.stream.batch.InputRecord;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.batch.MissingValueException;
import dev.aligntok.stream.batch.PayloadReader;
import dev.aligntok.stream.batch.PendingRecord;
import dev.aligntok.stream.batch.QueueEntry;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.model.GeneratedSample;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.output.LatentCodec;
import dev.aligntok.stream.output.OutputEncoder;
import dev.aligntok.stream.output.OutputRecord;
import dev.aligntok.stream.output.OversizedOutputException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Generation: a readable, valid request with an id not accepted before is QUEUED; when its batch
 * runs it goes RUNNING, its images go out and it ends SUCCEEDED. A request cancelled or past its
 * deadline before its batch ends CANCELLED / EXPIRED without running. Every failure is a dead letter
 * plus a FAILED status; a duplicate id is a dead letter only (the first request's status stands).
 */
final class GenerateWork implements BatchWork {
  private final PayloadReader<GenerationRequest> reader;
  private final GenerationValidator validator;
  private final ImageGeneratorPort generator;
  private final OutputEncoder<GeneratedImage> images;
  private final PngPlacement placement;
  private final StatusUpdates status;
  private final Duration duplicateWindow;
  private Cancellations cancellations;
  private AcceptedRequestIds accepted;

  GenerateWork(PayloadReader<GenerationRequest> reader, GenerationValidator validator, ImageGeneratorPort generator,
               OutputEncoder<GeneratedImage> images, PngPlacement placement, StatusUpdates status,
               Duration duplicateWindow) {
    this.reader = reader;
    this.validator = validator;
    this.generator = generator;
    this.images = images;
    this.placement = placement;
    this.status = status;
    this.duplicateWindow = duplicateWindow;
  }

  @Override
  public void init(ProcessorContext<?, ?> context) {
    this.cancellations = Cancellations.from(context);
    this.accepted = AcceptedRequestIds.from(context, duplicateWindow);
  }

  @Override
  public Optional<Admission> admit(InputRecord input, Emitter out) {
    GenerationRequest request;
    try {
      request = reader.read(input);
    } catch (PayloadDecodeException | MissingValueException e) {
      out.deadLetter(input, null, FailureStage.DESERIALIZE, e);
      // The key is the request id by contract: the only handle a caller has on an unreadable request.
      if (validator.acceptsId(input.keyText())) {
        status.failed(out, input.keyText(), 0, StatusUpdates.UNREADABLE_PAYLOAD, e.getMessage());
      }
      return Optional.empty();
    }
    ValidatedGeneration valid;
    try {
      valid = validator.validate(request);
    } catch (InvalidInputException e) {
      failInvalid(input, request, e, out);
      return Optional.empty();
    }
    Optional<Instant> acceptedBefore = accepted.acceptedAt(valid.requestId(), out.nowMs());
    if (acceptedBefore.isPresent()) {
      // No status: the id's status belongs to the request that was accepted first.
      out.deadLetter(input, valid.requestId(), FailureStage.VALIDATE,
          new DuplicateRequestIdException(valid.requestId(), acceptedBefore.get(), duplicateWindow));
      return Optional.empty();
    }
    accepted.accept(valid.requestId(), out.nowMs());
    status.queued(out, valid.requestId(), valid.count());
    long deadline = request.getDeadlineMs() == null ? BatchTraits.NO_DEADLINE : request.getDeadlineMs().toEpochMilli();
    // Requests batch together only when one sampler run can serve them all.
    BatchTraits traits = new BatchTraits(request.getPriority(), deadline, valid.count(), valid.settings().toString());
    return Optional.of(new Admission(valid.requestId(), traits));
  }

  private void failInvalid(InputRecord input, GenerationRequest request, InvalidInputException e, Emitter out) {
    // Only a well-formed id may key a status (a huge or odd one would make the status unwritable).
    String id = validator.acceptsId(request.getId()) ? request.getId()
        : validator.acceptsId(input.keyText()) ? input.keyText() : null;
    out.deadLetter(input, id, FailureStage.VALIDATE, e);
    if (id != null) {
      status.failed(out, id, request.getCount(), StatusUpdates.INVALID_REQUEST, e.getMessage());
    }
  }

  @Override
  public boolean retire(QueueEntry entry, Emitter out) {
    String id = entry.recordId();
    int total = entry.traits().units();
    Optional<String> cancelled = cancellations.reason(id);
    if (cancelled.isPresent()) {
      String reason = cancelled.get().isBlank() ? "cancelled before it ran" : "cancelled before it ran: " + cancelled.get();
      status.cancelled(out, id, total, reason);
      return true;
    }
    long now = out.nowMs();
    if (entry.traits().hasDeadline() && entry.traits().deadlineMs() < now) {
      status.expired(out, id, total, "deadline " + Instant.ofEpochMilli(entry.traits().deadlineMs())
          + " passed at " + Instant.ofEpochMilli(now) + " before the request started");
      return true;
    }
    return false;
  }

  @Override
  public void run(List<PendingRecord> batch, Emitter out) {
    List<ReadyRequest> ready = new ArrayList<>(batch.size());
    for (PendingRecord pending : batch) {
      revalidate(pending, out).ifPresent(ready::add);
    }
    if (ready.isEmpty()) {
      return;
    }
    ready.forEach(r -> status.running(out, r.request().requestId(), r.request().count()));
    long started = System.nanoTime();
    GenerationBatchResult result;
    try {
      result = generator.generate(ready.stream().map(ReadyRequest::request).toList());
      checkShape(result, ready);
    } catch (RuntimeException e) {
      for (ReadyRequest r : ready) {
        out.deadLetter(r.pending().input(), r.request().requestId(), FailureStage.MODEL, e);
        status.failed(out, r.request().requestId(), r.request().count(), StatusUpdates.MODEL_FAILURE,
            "the model failed on the batch: " + e.getMessage());
      }
      return;
    }
    double generateMs = (System.nanoTime() - started) / 1e6;
    int batchImages = ready.stream().mapToInt(r -> r.request().count()).sum();
    for (int i = 0; i < ready.size(); i++) {
      ReadyRequest r = ready.get(i);
      Map<String, Double> timings = new LinkedHashMap<>(result.timingsMs());
      timings.put("queue", (double) (out.nowMs() - r.pending().entry().enqueuedAtMs()));
      timings.put("generate", generateMs);
      timings.put("batch", (double) batchImages);
      emitImages(r, result.bundleId(), result.samples().get(i), timings, out);
    }
  }

  /**
   * Reads and validates the stored request again: the store keeps original bytes (for dead
   * letters), and a bundle swapped since admission may no longer accept the request.
   */
  private Optional<ReadyRequest> revalidate(PendingRecord pending, Emitter out) {
    QueueEntry entry = pending.entry();
    GenerationRequest request;
    try {
      request = reader.read(pending.input());
    } catch (PayloadDecodeException | MissingValueException e) {
      out.deadLetter(pending.input(), entry.recordId(), FailureStage.DESERIALIZE, e);
      status.failed(out, entry.recordId(), entry.traits().units(), StatusUpdates.UNREADABLE_PAYLOAD, e.getMessage());
      return Optional.empty();
    }
    try {
      return Optional.of(new ReadyRequest(pending, validator.validate(request)));
    } catch (InvalidInputException e) {
      failInvalid(pending.input(), request, e, out);
      return Optional.empty();
    }
  }

  private void checkShape(GenerationBatchResult result, List<ReadyRequest> ready) {
    if (result.samples().size() != ready.size()) {
      throw new IllegalStateException("generator of bundle " + result.bundleId() + " returned results for "
          + result.samples().size() + " requests, expected " + ready.size());
    }
    for (int i = 0; i < ready.size(); i++) {
      int expected = ready.get(i).request().count();
      int got = result.samples().get(i).size();
      if (got != expected) {
        throw new IllegalStateException("generator of bundle " + result.bundleId() + " returned " + got
            + " images for request " + ready.get(i).request().requestId() + ", expected " + expected);
      }
    }
  }

  /**
   * All of a request's images go out, or none: one too large, or one the blob store cannot take,
   * fails the request (blobs already written stay, unreferenced; a retry overwrites them).
   */
  private void emitImages(ReadyRequest r, String bundleId, List<GeneratedSample> samples, Map<String, Double> timings,
                          Emitter out) {
    ValidatedGeneration request = r.request();
    List<OutputRecord> encoded = new ArrayList<>(samples.size());
    try {
      for (int index = 0; index < samples.size(); index++) {
        GeneratedImage image = image(request, bundleId, index, samples.get(index), timings, out.nowMs());
        encoded.add(images.encode(image, "image " + index + " of request " + request.requestId()));
      }
    } catch (OversizedOutputException e) {
      out.deadLetter(r.pending().input(), request.requestId(), FailureStage.ENCODE_OUTPUT, e);
      status.failed(out, request.requestId(), request.count(), StatusUpdates.OVERSIZED_RESULT, e.getMessage());
      return;
    } catch (BlobAccessException e) {
      out.deadLetter(r.pending().input(), request.requestId(), FailureStage.ENCODE_OUTPUT, e);
      status.failed(out, request.requestId(), request.count(), StatusUpdates.BLOB_WRITE_FAILED, e.getMessage());
      return;
    }
    encoded.forEach(record -> out.send(request.requestId(), record));
    status.succeeded(out, request.requestId(), request.count(), bundleId);
  }

  private GeneratedImage image(ValidatedGeneration request, String bundleId, int index, GeneratedSample sample,
                               Map<String, Double> timings, long nowMs) {
    GeneratedImage.Builder image = GeneratedImage.newBuilder()
        .setRequestId(request.requestId())
        .setIndex(index)
        .setCount(request.count())
        .setWidth(sample.width())
        .setHeight(sample.height())
        .setSeed(request.seedOf(index))
        .setClassId(request.classId())
        .setClassName(request.className())
        .setSteps(request.settings().steps())
        .setCfgScale(request.settings().cfgScale())
        .setBundleId(bundleId)
        .setLatent(request.returnLatents() && sample.latent() != null ? LatentCodec.toF32(sample.latent()) : null)
        .setMetadata(request.metadata())
        .setTimingsMs(timings)
        .setProducedAtMs(Instant.ofEpochMilli(nowMs));
    placement.place(image, request.requestId(), index, sample.png());
    return image.build();
  }

  /** A stored request that passed validation again and will run. */
  private record ReadyRequest(PendingRecord pending, ValidatedGeneration request) {}
}
