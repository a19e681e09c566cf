package dev.aligntok.stream.service.http;

import dev.aligntok.events.GenerationState;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.service.kafka.EventPublisher;
import dev.aligntok.stream.service.query.QueryStores;
import dev.aligntok.stream.service.query.StoreReader;
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
  public MutableHttpResponse<?> submit(@Body GenerationSubmission submission) {
    SubmissionChecker.Checked checked = checker.check(submission);
    if (!checked.errors().isEmpty()) {
      return HttpResponse.badRequest(new ErrorBody("invalid generation request", checked.errors()));
    }
    String id = checked.request().getId();
    try (LogContext.Scope log = LogContext.requestId(id)) {
      publisher.request(checked.request());
      LOG.info("accepted generation request for {} image(s)", checked.request().getCount());
    }
    return HttpResponse.accepted(URI.create("/v1/generations/" + id)).body(new Accepted(id));
  }

  @Get("/{id}")
  public MutableHttpResponse<?> status(String id, HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      return routing.route(QueryStores.STATUS, id, request, () -> stores.status(id)
          .<MutableHttpResponse<?>>map(status -> HttpResponse.ok(StatusView.of(status)))
          .orElseGet(() -> notSeen(id)));
    }
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
