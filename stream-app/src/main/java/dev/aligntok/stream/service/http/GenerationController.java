package dev.aligntok.stream.service.http;

import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.service.kafka.EventPublisher;
import dev.aligntok.stream.service.kafka.OwnerTags;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.query.StoreReader;
import dev.aligntok.stream.service.query.StoreUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generation requests: submit (to the prompts topic), look up (status store), cancel (to the
 * cancellations topic), fetch an image (images store). Blocking Kafka and store calls run on the
 * I/O executor, not the event loop.
 *
 * <p>A request belongs to the caller that submitted it (its {@code owner}): status, images and
 * cancellation answer only the owner or an admin, and everyone else hears 404, as for an id never
 * seen, so ids do not leak. A request without owner (written to Kafka directly) is an admin's. With
 * authentication off every caller sees everything.
 */
@Controller("/v1/generations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class GenerationController {
  private static final Logger LOG = LoggerFactory.getLogger(GenerationController.class);
  /** How long an image lookup waits for the images store to catch up with a request's status. */
  private static final Duration IMAGE_INDEX_LAG = Duration.ofSeconds(3);
  /**
   * Lookups waiting for the images store at once, per instance: a caller asking for images that will
   * never come (a bad index, a failed request) would otherwise hold a blocking thread 3 s per call.
   * Past this many, a miss answers 404 at once, as before the wait existed.
   */
  private static final Semaphore IMAGE_WAITERS = new Semaphore(16);

  private final SubmissionChecker checker;
  private final EventPublisher publisher;
  private final StoreReader stores;
  private final QueryRouting routing;
  private final StoredImages images;
  private final Callers callers;
  private final SubmissionQuotas quotas;
  private final OwnerTags owners;

  GenerationController(SubmissionChecker checker, EventPublisher publisher, StoreReader stores, QueryRouting routing,
                       StoredImages images, Callers callers, SubmissionQuotas quotas, OwnerTags owners) {
    this.owners = owners;
    this.callers = callers;
    this.quotas = quotas;
    this.checker = checker;
    this.publisher = publisher;
    this.stores = stores;
    this.routing = routing;
    this.images = images;
  }

  @Post
  public MutableHttpResponse<?> submit(@Body GenerationSubmission submission, HttpRequest<?> request) {
    SubmissionChecker.Checked checked = checker.check(submission);
    if (!checked.errors().isEmpty()) {
      return HttpResponse.badRequest(new ErrorBody("invalid generation request", checked.errors()));
    }
    Caller caller = callers.of(request);
    String id = checked.request().getId();
    checked.request().setOwner(caller.owner());
    checked.request().setOwnerTag(caller.owner() == null ? null : owners.requestTag(id, caller.owner()));
    URI location = URI.create(statusPath(id));
    try (LogContext.Scope log = LogContext.requestId(id)) {
      if (submission.id() != null && alreadySubmitted(id, request, caller)) {
        LOG.info("refused a second submission of request id {}", id);
        return HttpResponse.status(HttpStatus.CONFLICT).header("Location", location.toString())
            .body(ErrorBody.of("request id " + id + " was submitted before and is not run again; its status is at "
                + location + " (a new request needs a new id)"));
      }
      // After the 409: a retry of a known id is not a new submission and uses no quota. In flight
      // first, since it takes nothing; the rate check takes one of the caller's submissions.
      Optional<MutableHttpResponse<?>> refusal = quotas.inFlightRefusal(caller, request)
          .or(() -> quotas.rateRefusal(SubmissionQuotas.Route.GENERATIONS, caller));
      if (refusal.isPresent()) {
        return refusal.get();
      }
      publisher.request(checked.request());
      LOG.info("accepted generation request for {} image(s)", checked.request().getCount());
    }
    return HttpResponse.accepted(location).body(new Accepted(id));
  }

  /**
   * Whether the caller's own request with this id is known (here or at the instance owning it), so
   * that a client retrying hears at once that its id is taken. Another caller's request counts as
   * unknown (its existence is not revealed): the submission is accepted and the generate pipeline
   * dead-letters it as a duplicate, leaving the first request's status alone. Best effort: when no
   * instance can answer (rebalancing, owner down) the pipeline still refuses the duplicate.
   */
  private boolean alreadySubmitted(String id, HttpRequest<?> request, Caller caller) {
    try {
      return routing.route(QueryStores.STATUS, id, "GET", statusPath(id), request, () -> statusOwned(id, caller))
          .status() == HttpStatus.OK;
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  @Get("/{id}")
  public MutableHttpResponse<?> status(String id, HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      Caller caller = callers.of(request);
      return routing.route(QueryStores.STATUS, id, request, () -> statusOwned(id, caller));
    }
  }

  private MutableHttpResponse<?> statusOwned(String id, Caller caller) {
    return visibleStatus(id, caller).<MutableHttpResponse<?>>map(status -> HttpResponse.ok(StatusView.of(status)))
        .orElseGet(() -> notSeen(id));
  }

  /** The request's status if this caller may see it; empty for an unknown id and for another caller's request alike. */
  private Optional<GenerationStatus> visibleStatus(String id, Caller caller) {
    return stores.status(id).filter(status -> caller.owns(status.getOwner()));
  }

  private static String statusPath(String id) {
    return "/v1/generations/" + id;
  }

  @Delete("/{id}")
  public MutableHttpResponse<?> cancel(String id, HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      Caller caller = callers.of(request);
      return routing.route(QueryStores.STATUS, id, request, () -> cancelOwned(id, caller));
    }
  }

  private MutableHttpResponse<?> cancelOwned(String id, Caller caller) {
    Optional<GenerationStatus> status = visibleStatus(id, caller);
    if (status.isEmpty()) {
      return notSeen(id);
    }
    GenerationState state = status.get().getState();
    if (FinalStates.isFinal(state)) {
      return HttpResponse.status(HttpStatus.CONFLICT)
          .body(ErrorBody.of("request " + id + " has already ended: " + state));
    }
    publisher.cancellation(id, "cancelled through the HTTP API");
    LOG.info("cancellation requested while {}", state);
    return HttpResponse.accepted().body(new Accepted(id));
  }

  @Get("/{id}/images/{index}")
  public MutableHttpResponse<?> image(String id, int index, HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      Caller caller = callers.of(request);
      if (!caller.owns(null)) {
        // Images carry no owner: the request's status says whose they are (possibly at another instance).
        MutableHttpResponse<?> status = routing.ask(QueryStores.STATUS, id, "GET", statusPath(id), request,
            () -> statusOwned(id, caller));
        if (status.status() == HttpStatus.NOT_FOUND) {
          return noImage(id, index);
        }
        if (status.status() != HttpStatus.OK) {
          return status;
        }
      }
      return routing.route(QueryStores.IMAGES, id, request, () -> awaitImage(id, index)
          .<MutableHttpResponse<?>>map(images::response)
          .orElseGet(() -> noImage(id, index)));
    }
  }

  /**
   * The image, waited for up to {@link #IMAGE_INDEX_LAG}: the images store is filled from the
   * generated topic after the transaction that also commits SUCCEEDED, so a client acting on that
   * status (a webhook, an event stream) can ask a moment before the image is indexed. Only callers
   * who may see the request get here (the status check above), so a miss costs an outsider nothing;
   * at most {@link #IMAGE_WAITERS} lookups wait at once.
   */
  private Optional<GeneratedImage> awaitImage(String id, int index) {
    Optional<GeneratedImage> image = stores.image(id, index);
    if (image.isPresent() || !IMAGE_WAITERS.tryAcquire()) {
      return image;
    }
    try {
      long deadline = System.nanoTime() + IMAGE_INDEX_LAG.toNanos();
      while (image.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
        image = stores.image(id, index);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      IMAGE_WAITERS.release();
    }
    return image;
  }

  private static MutableHttpResponse<?> noImage(String id, int index) {
    return HttpResponse.notFound(ErrorBody.of("request " + id + " has no image " + index
        + " (not generated yet, never requested, or past the retention)"));
  }

  private static MutableHttpResponse<?> notSeen(String id) {
    return HttpResponse.notFound(ErrorBody.of("no generation request " + id + " has been seen"));
  }
}
