package dev.aligntok.stream.service.http;

import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.service.kafka.EventPublisher;
import dev.aligntok.stream.service.query.QueryStores;
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
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generation requests: submit (to the prompts topic), look up (status store), cancel (to the
 * cancellations topic), fetch an image (images store). Blocking Kafka and store calls run on the
 * I/O executor, not the event loop.
 */
@Controller("/v1/generations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class GenerationController {
  /** States after which a cancellation changes nothing. */
  private static final Logger LOG = LoggerFactory.getLogger(GenerationController.class);
  private static final Set<GenerationState> FINAL = EnumSet.of(GenerationState.SUCCEEDED, GenerationState.FAILED,
      GenerationState.CANCELLED, GenerationState.EXPIRED);

  private final SubmissionChecker checker;
  private final EventPublisher publisher;
  private final StoreReader stores;
  private final QueryRouting routing;
  private final StoredImages images;

  GenerationController(SubmissionChecker checker, EventPublisher publisher, StoreReader stores, QueryRouting routing,
                       StoredImages images) {
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
    String id = checked.request().getId();
    URI location = URI.create(statusPath(id));
    try (LogContext.Scope log = LogContext.requestId(id)) {
      if (submission.id() != null && alreadySubmitted(id, request)) {
        LOG.info("refused a second submission of request id {}", id);
        return HttpResponse.status(HttpStatus.CONFLICT).header("Location", location.toString())
            .body(ErrorBody.of("request id " + id + " was submitted before and is not run again; its status is at "
                + location + " (a new request needs a new id)"));
      }
      publisher.request(checked.request());
      LOG.info("accepted generation request for {} image(s)", checked.request().getCount());
    }
    return HttpResponse.accepted(location).body(new Accepted(id));
  }

  /**
   * Whether the request's status is known (here or at the instance owning it), so that a client
   * hears at once that its id is taken. Best effort: when no instance can answer (rebalancing, owner
   * down) or the status has expired, the generate pipeline still refuses the duplicate (dead letter).
   */
  private boolean alreadySubmitted(String id, HttpRequest<?> request) {
    try {
      return routing.route(QueryStores.STATUS, id, "GET", statusPath(id), request, () -> statusOwned(id))
          .status() == HttpStatus.OK;
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  @Get("/{id}")
  public MutableHttpResponse<?> status(String id, HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      return routing.route(QueryStores.STATUS, id, request, () -> statusOwned(id));
    }
  }

  private MutableHttpResponse<?> statusOwned(String id) {
    return stores.status(id).<MutableHttpResponse<?>>map(status -> HttpResponse.ok(StatusView.of(status)))
        .orElseGet(() -> notSeen(id));
  }

  private static String statusPath(String id) {
    return "/v1/generations/" + id;
  }

  @Delete("/{id}")
  public MutableHttpResponse<?> cancel(String id, HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      return routing.route(QueryStores.STATUS, id, request, () -> cancelOwned(id));
    }
  }

  private MutableHttpResponse<?> cancelOwned(String id) {
    Optional<GenerationStatus> status = stores.status(id);
    if (status.isEmpty()) {
      return notSeen(id);
    }
    GenerationState state = status.get().getState();
    if (FINAL.contains(state)) {
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
      return routing.route(QueryStores.IMAGES, id, request, () -> stores.image(id, index)
          .<MutableHttpResponse<?>>map(images::response)
          .orElseGet(() -> HttpResponse.notFound(ErrorBody.of("request " + id + " has no image " + index
              + " (not generated yet, never requested, or past the retention)"))));
    }
  }

  private static MutableHttpResponse<?> notSeen(String id) {
    return HttpResponse.notFound(ErrorBody.of("no generation request " + id + " has been seen"));
  }
}
