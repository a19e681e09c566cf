package dev.aligntok.stream.generate;

import dev.aligntok.events.FailureStage;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.inference.cancel.CancelledException;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.stream.batch.BatchTraits;
import dev.aligntok.stream.batch.BatchWork;
import dev.aligntok.stream.batch.Bisection;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.batch.MicroBatching;
import dev.aligntok.stream.batch.MissingValueException;
import dev.aligntok.stream.batch.PayloadReader;
import dev.aligntok.stream.batch.PendingRecord;
import dev.aligntok.stream.batch.QuarantinedRecordException;
import dev.aligntok.stream.batch.QueueEntry;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.model.BundleView;
import dev.aligntok.stream.model.GeneratedSample;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.GenerationRun;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.output.BoundedText;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.output.LatentCodec;
import dev.aligntok.stream.output.OutputEncoder;
import dev.aligntok.stream.output.OversizedOutputException;
import dev.aligntok.stream.records.InputRecord;
import dev.aligntok.stream.records.OutputRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generation: a readable, valid request with an id not accepted before is QUEUED; when its batch
 * runs it goes RUNNING, its images go out and it ends SUCCEEDED. A request cancelled or past its
 * deadline before its batch ends CANCELLED / EXPIRED without running; one cancelled while its batch
 * runs stops at the sampler's next step and ends CANCELLED without images, the others go on. Every failure is a dead letter
 * plus a FAILED status, and releases the id; a record under an id accepted before (a duplicate, or an
 * unreadable or invalid record keyed by that id) is a dead letter only: the first request's status stands.
 */
final class GenerateWork implements BatchWork {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateWork.class);
  private final PayloadReader<GenerationRequest> reader;
  private final GenerationValidator validator;
  private final ImageGeneratorPort generator;
  private final OutputEncoder<GeneratedImage> images;
  private final PngPlacement placement;
  private final StatusUpdates status;
  private final Duration duplicateWindow;
  private final Duration progressInterval;
  private final RequestOwners owners;
  private Cancellations cancellations;
  private AcceptedRequestIds accepted;
  private KeyValueStore<Long, PendingRecord> pending;

  GenerateWork(PayloadReader<GenerationRequest> reader, GenerationValidator validator, ImageGeneratorPort generator,
               OutputEncoder<GeneratedImage> images, PngPlacement placement, StatusUpdates status,
               Duration duplicateWindow, Duration progressInterval, RequestOwners owners) {
    this.reader = reader;
    this.validator = validator;
    this.generator = generator;
    this.images = images;
    this.placement = placement;
    this.status = status;
    this.duplicateWindow = duplicateWindow;
    this.progressInterval = progressInterval;
    this.owners = owners;
  }

  @Override
  public void init(ProcessorContext<?, ?> context) {
    this.cancellations = Cancellations.from(context);
    this.accepted = AcceptedRequestIds.from(context, duplicateWindow);
    this.pending = context.getStateStore(MicroBatching.pendingStoreName(GenerateTopology.NAME));
  }

  /** The owner (and webhook) of a queued request, read back from the pending store (only when it ends unrun). */
  private RequestTags tagsOf(QueueEntry entry) {
    PendingRecord record = pending.get(entry.sequence());
    return record == null ? RequestTags.NONE : tagsIn(record.input());
  }

  /** The owner (and webhook) named in a stored or refused input; none (admin-only status) when it cannot be read. */
  private RequestTags tagsIn(InputRecord input) {
    try {
      return RequestTags.of(reader.read(input), owners);
    } catch (PayloadDecodeException | MissingValueException e) {
      return RequestTags.NONE; // admitted, so readable then
    }
  }

  @Override
  public Optional<Admission> admit(InputRecord input, Emitter out) {
    GenerationRequest request;
    try {
      request = reader.read(input);
    } catch (PayloadDecodeException | MissingValueException e) {
      out.deadLetter(input, null, FailureStage.DESERIALIZE, e);
      // The key is the request id by contract: the only handle a caller has on an unreadable request.
      failedStatusUnlessTaken(input.keyText(), RequestTags.NONE, 0, StatusUpdates.UNREADABLE_PAYLOAD, e.getMessage(), out);
      return Optional.empty();
    }
    ValidatedGeneration valid;
    try {
      valid = validator.validate(request);
    } catch (InvalidInputException e) {
      String id = idOf(input, request);
      out.deadLetter(input, id, FailureStage.VALIDATE, e);
      failedStatusUnlessTaken(id, RequestTags.of(request, owners), request.getCount(), StatusUpdates.INVALID_REQUEST, e.getMessage(), out);
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
    RequestTags tags = RequestTags.of(request, owners);
    if (request.getOwner() != null && tags.owner() == null) {
      LOG.warn("request {} names owner {} without proof that it came through the HTTP API (ownerTag): it runs without"
          + " an owner, for admins only", valid.requestId(), BoundedText.of(request.getOwner(), 200));
    }
    status.queued(out, valid.requestId(), tags, valid.count());
    long deadline = request.getDeadlineMs() == null ? BatchTraits.NO_DEADLINE : request.getDeadlineMs().toEpochMilli();
    // Requests batch together only when one sampler run can serve them all.
    BatchTraits traits = new BatchTraits(request.getPriority(), deadline, valid.count(), valid.settings().toString());
    return Optional.of(new Admission(valid.requestId(), traits));
  }

  /**
   * A FAILED status for a refused input, unless its id cannot name a request (missing, or longer
   * than ids may be: the status would echo it) or belongs to a request accepted before: that
   * request's status stands, whatever it is, and the refused input is a dead letter only.
   */
  private void failedStatusUnlessTaken(String id, RequestTags tags, int total, String errorKind, String error,
                                       Emitter out) {
    if (validator.acceptsId(id) && accepted.acceptedAt(id, out.nowMs()).isEmpty()) {
      status.failed(out, id, tags, total, errorKind, error);
    }
  }

  @Override
  public void refused(PendingRecord record, Emitter out, String reason) {
    // Its QUEUED status went out on admission; this ends it, and the id is free again, as for every failure.
    String id = record.entry().recordId();
    status.failed(out, id, tagsIn(record.input()), record.entry().traits().units(), StatusUpdates.TOO_LARGE_TO_QUEUE,
        reason);
    accepted.release(id);
  }

  /** The id to name a refused request by: only a well-formed one (a huge or odd one would make a status unwritable). */
  private String idOf(InputRecord input, GenerationRequest request) {
    return validator.acceptsId(request.getId()) ? request.getId()
        : validator.acceptsId(input.keyText()) ? input.keyText() : null;
  }

  @Override
  public boolean retire(QueueEntry entry, Emitter out) {
    String id = entry.recordId();
    int total = entry.traits().units();
    Optional<String> cancelled = cancellations.reason(id);
    if (cancelled.isPresent()) {
      String reason = cancelled.get().isBlank() ? "cancelled before it ran" : "cancelled before it ran: " + cancelled.get();
      status.cancelled(out, id, tagsOf(entry), total, reason);
      return true;
    }
    long now = out.nowMs();
    if (entry.traits().hasDeadline() && entry.traits().deadlineMs() < now) {
      status.expired(out, id, tagsOf(entry), total, "deadline " + Instant.ofEpochMilli(entry.traits().deadlineMs())
          + " passed at " + Instant.ofEpochMilli(now) + " before the request started");
      return true;
    }
    return false;
  }

  /** The batch's {@link #start} run whole, its progress updates held with its outcomes. */
  @Override
  public void run(List<PendingRecord> batch, Emitter out) {
    try (Run run = start(batch)) {
      while (!run.advance(out, out)) {
        // every part of it in this one call
      }
    }
  }

  /**
   * Validates the batch's requests again and generates them on one leased bundle, held until the run
   * closes. With a progress interval, in parts (see {@link BatchWork.Run}): the first only says
   * RUNNING, each next one samples for about the interval and reports progress, the last decodes and
   * emits the images and final statuses. A model error fails only the requests that fail alone
   * ({@link Bisection}, in that call); failed requests' ids are released (in the last call, as
   * {@link BatchWork} asks), so the caller may send them again.
   */
  @Override
  public Run start(List<PendingRecord> batch) {
    return new GenerateRun(batch);
  }

  /** One generate batch in progress; its sampler state is in memory only (a replay starts again). */
  private final class GenerateRun implements Run {
    /** At most two progress statuses a second per request. */
    private static final long PROGRESS_SPACING_MS = 500;

    private final List<PendingRecord> batch;
    private final List<String> failedIds = new ArrayList<>();
    private final boolean stepwise = !progressInterval.isZero();
    private ImageGeneratorPort.Lease bundle;
    private List<ReadyRequest> ready;
    private GenerationRun sampling;
    private long modelNanos;
    private float reported;
    private long reportedAtMs;

    private GenerateRun(List<PendingRecord> batch) {
      this.batch = batch;
    }

    @Override
    public boolean advance(Emitter out, Emitter now) {
      if (bundle == null) {
        bundle = generator.lease();
        ready = new ArrayList<>(batch.size());
        for (PendingRecord pending : batch) {
          revalidate(pending, bundle, out, failedIds).ifPresent(ready::add);
        }
        if (ready.isEmpty()) {
          return ended();
        }
        Emitter runningTo = stepwise ? now : out;
        ready.forEach(r -> status.running(runningTo, r.request().requestId(), r.tags(), r.request().count(),
            bundle.bundleId(), 0f));
        reportedAtMs = now.nowMs();
        if (stepwise) {
          return false; // RUNNING commits before the work starts
        }
      }
      TimedResult timed;
      long started = System.nanoTime();
      try {
        if (sampling == null) {
          // The global store is read on this stream thread while the global thread fills it: a DELETE
          // that lands mid-run is seen at the sampler's next step.
          sampling = bundle.start(ready.stream().map(ReadyRequest::request).toList(),
              id -> cancellations.reason(id).isPresent());
        }
        long chunk = System.nanoTime();
        sampling.advance(() -> stepwise && System.nanoTime() - chunk >= progressInterval.toNanos());
        if (!sampling.sampled()) {
          modelNanos += System.nanoTime() - started;
          report(now);
          return false;
        }
        GenerationBatchResult result = sampling.finish();
        checkShape(result, ready);
        modelNanos += System.nanoTime() - started;
        timed = new TimedResult(result, modelNanos / 1e6);
      } catch (CancelledException e) {
        throw e; // the watchdog: the whole run fails
      } catch (RuntimeException e) {
        closeSampling();
        bisection(out).afterFailedCall(ready, e);
        return ended();
      }
      emitAll(ready, timed, out, failedIds);
      return ended();
    }

    /** RUNNING with the progress, when it moved and the last report is old enough; not for requests cancelled since. */
    private void report(Emitter now) {
      float progress = sampling.progress();
      long nowMs = now.nowMs();
      if (progress <= reported || nowMs - reportedAtMs < PROGRESS_SPACING_MS) {
        return;
      }
      for (ReadyRequest r : ready) {
        String id = r.request().requestId();
        if (cancellations.reason(id).isEmpty()) {
          status.running(now, id, r.tags(), r.request().count(), bundle.bundleId(), progress);
        }
      }
      reported = progress;
      reportedAtMs = nowMs;
    }

    private Bisection<ReadyRequest, TimedResult> bisection(Emitter out) {
      return new Bisection<>("generate batch",
          part -> generate(bundle, part),
          (part, result) -> emitAll(part, result, out, failedIds),
          (r, e) -> failModel(r, e, out, failedIds));
    }

    private boolean ended() {
      closeSampling();
      failedIds.forEach(accepted::release);
      return true;
    }

    private void closeSampling() {
      if (sampling != null) {
        GenerationRun closing = sampling;
        sampling = null;
        closing.close();
      }
    }

    @Override
    public void close() {
      closeSampling();
      if (bundle != null) {
        ImageGeneratorPort.Lease held = bundle;
        bundle = null;
        held.close();
      }
    }
  }

  /** Dead letter (stage QUARANTINE), FAILED status, and the id released. */
  @Override
  public void quarantine(PendingRecord record, QuarantinedRecordException reason, Emitter out) {
    BatchWork.super.quarantine(record, reason, out);
    String id = record.entry().recordId();
    if (id.isEmpty()) {
      return; // an unkeyed input whose admission kept failing: no id to report a status under
    }
    status.failed(out, id, tagsIn(record.input()), record.entry().traits().units(), StatusUpdates.QUARANTINED,
        reason.getMessage());
    accepted.release(id);
  }

  private TimedResult generate(ImageGeneratorPort.Lease bundle, List<ReadyRequest> part) {
    long started = System.nanoTime();
    // The global store is read on this stream thread while the global thread fills it: a DELETE
    // that lands mid-run is seen at the sampler's next step.
    GenerationBatchResult result = bundle.generate(part.stream().map(ReadyRequest::request).toList(),
        id -> cancellations.reason(id).isPresent());
    checkShape(result, part);
    return new TimedResult(result, (System.nanoTime() - started) / 1e6);
  }

  private void emitAll(List<ReadyRequest> part, TimedResult timed, Emitter out, List<String> failedIds) {
    GenerationBatchResult result = timed.result();
    int batchImages = part.stream().mapToInt(r -> r.request().count()).sum();
    for (int i = 0; i < part.size(); i++) {
      ReadyRequest r = part.get(i);
      Map<String, Double> timings = new LinkedHashMap<>(result.timingsMs());
      timings.put("queue", (double) (out.nowMs() - r.pending().entry().enqueuedAtMs()));
      timings.put("generate", timed.millis());
      timings.put("batch", (double) batchImages);
      if (result.cancelled().contains(r.request().requestId())) {
        cancelledWhileRunning(r, out);
        continue;
      }
      if (!emitImages(r, result.bundleId(), result.samples().get(i), timings, out)) {
        failedIds.add(r.request().requestId());
      }
    }
  }

  /** CANCELLED with no image (all of a request's images are one run's rows); its id stays taken, as for a cancel before the run. */
  private void cancelledWhileRunning(ReadyRequest r, Emitter out) {
    String id = r.request().requestId();
    String why = cancellations.reason(id).filter(reason -> !reason.isBlank()).map(reason -> ": " + reason).orElse("");
    status.cancelled(out, id, r.tags(), r.request().count(), "cancelled while it ran, stopped between sampler steps" + why);
  }

  private void failModel(ReadyRequest r, RuntimeException e, Emitter out, List<String> failedIds) {
    String id = r.request().requestId();
    out.deadLetter(r.pending().input(), id, FailureStage.MODEL, e);
    status.failed(out, id, r.tags(), r.request().count(), StatusUpdates.MODEL_FAILURE,
        "the model failed on this request (alone, after its batch failed): " + e.getMessage());
    failedIds.add(id);
  }

  /**
   * Reads and validates the stored request again, against the batch's leased bundle: the store
   * keeps original bytes (for dead letters), and a bundle swapped in since admission may no longer
   * accept the request.
   */
  private Optional<ReadyRequest> revalidate(PendingRecord pending, BundleView bundle, Emitter out,
                                            List<String> failedIds) {
    QueueEntry entry = pending.entry();
    GenerationRequest request;
    try {
      request = reader.read(pending.input());
    } catch (PayloadDecodeException | MissingValueException e) {
      out.deadLetter(pending.input(), entry.recordId(), FailureStage.DESERIALIZE, e);
      status.failed(out, entry.recordId(), RequestTags.NONE, entry.traits().units(), StatusUpdates.UNREADABLE_PAYLOAD,
          e.getMessage());
      failedIds.add(entry.recordId());
      return Optional.empty();
    }
    try {
      return Optional.of(new ReadyRequest(pending, validator.validate(request, bundle), RequestTags.of(request, owners)));
    } catch (InvalidInputException e) {
      // Accepted under this id at admission, so the id's status is this request's.
      InvalidInputException explained = new InvalidInputException("request " + entry.recordId()
          + " was accepted, but bundle " + bundle.bundleId() + ", in service when its batch ran (reloaded since?),"
          + " cannot serve it: " + e.getMessage());
      out.deadLetter(pending.input(), entry.recordId(), FailureStage.VALIDATE, explained);
      status.failed(out, entry.recordId(), RequestTags.of(request, owners), entry.traits().units(), StatusUpdates.INVALID_REQUEST,
          explained.getMessage());
      failedIds.add(entry.recordId());
      return Optional.empty();
    }
  }

  private static void checkShape(GenerationBatchResult result, List<ReadyRequest> ready) {
    if (result.samples().size() != ready.size()) {
      throw new IllegalStateException("generator of bundle " + result.bundleId() + " returned results for "
          + result.samples().size() + " requests, expected " + ready.size());
    }
    for (int i = 0; i < ready.size(); i++) {
      int expected = result.cancelled().contains(ready.get(i).request().requestId()) ? 0 : ready.get(i).request().count();
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
  private boolean emitImages(ReadyRequest r, String bundleId, List<GeneratedSample> samples, Map<String, Double> timings,
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
      status.failed(out, request.requestId(), r.tags(), request.count(), StatusUpdates.OVERSIZED_RESULT, e.getMessage());
      return false;
    } catch (BlobAccessException e) {
      out.deadLetter(r.pending().input(), request.requestId(), FailureStage.ENCODE_OUTPUT, e);
      status.failed(out, request.requestId(), r.tags(), request.count(), StatusUpdates.BLOB_WRITE_FAILED, e.getMessage());
      return false;
    }
    encoded.forEach(record -> out.send(request.requestId(), record));
    status.succeeded(out, request.requestId(), r.tags(), request.count(), bundleId);
    return true;
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
        // Schema v3: a free-text image names no class (null, not the internal FREE_TEXT id) and carries its prompt.
        .setClassId(request.freeText() ? null : request.classId())
        .setClassName(request.className())
        .setPrompt(request.prompt())
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
  private record ReadyRequest(PendingRecord pending, ValidatedGeneration request, RequestTags tags) {}

  /** One model call's result and how long it took. */
  private record TimedResult(GenerationBatchResult result, double millis) {}
}
