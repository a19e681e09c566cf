package dev.aligntok.stream.service.http;

import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.service.config.EventStreamSettings;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.query.StoreReader;
import dev.aligntok.stream.service.query.StoreUnavailableException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.sse.Event;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /v1/generations/{id}/events}: a request's status changes, finished images and progress as
 * server-sent events, until its final state. The instance holding the connection polls the status
 * through {@link QueryRouting} (its own store, or the owning instance's), so a client may connect to
 * any instance. Same credentials and ownership as {@code GET /v1/generations/{id}}: another caller's
 * request is 404, as an unknown one; an id not in the status store yet (just submitted) is waited for
 * a little first. Open streams per instance are capped (above the cap: 503), and so are each caller's
 * at one instance (above that: 429), both with {@code Retry-After}; see {@link StreamSlots}.
 */
@Controller("/v1/generations")
@ExecuteOn(TaskExecutors.BLOCKING)
public class GenerationEventsController {
  private static final Logger LOG = LoggerFactory.getLogger(GenerationEventsController.class);
  /** Seconds a refused client waits: streams end within a request's run, not predictably. */
  private static final String RETRY_AFTER_SECONDS = "5";

  private final StoreReader stores;
  private final QueryRouting routing;
  private final Callers callers;
  private final JsonMapper json;
  private final EventStreamSettings settings;
  private final StreamSlots slots;

  GenerationEventsController(StoreReader stores, QueryRouting routing, Callers callers, JsonMapper json,
                             EventStreamSettings settings) {
    this.stores = stores;
    this.routing = routing;
    this.callers = callers;
    this.json = json;
    this.settings = settings;
    this.slots = new StreamSlots(settings.maxStreams(), settings.maxStreamsPerCaller());
  }

  @Get(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
  public MutableHttpResponse<?> events(String id, @Nullable @Header("Last-Event-ID") String lastEventId,
                                       HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      Caller caller = callers.of(request);
      StreamSlots.Outcome taken = slots.take(caller.owner());
      if (taken.refusal() != null) {
        return refused(taken.refusal(), caller, id);
      }
      StreamSlots.Slot slot = taken.slot();
      boolean streaming = false;
      try {
        Polled first = awaitVisible(id, request, caller);
        if (first.status() == null) {
          return first.answer().status() == HttpStatus.NOT_FOUND
              ? HttpResponse.notFound(ErrorBody.of("no generation request " + id + " has been seen"))
              : first.answer();
        }
        EventCursor cursor = EventCursor.resuming(id, lastEventId);
        if (cursor.alreadyEnded(first.status())) {
          return HttpResponse.noContent(); // tells an EventSource to stop reconnecting
        }
        streaming = true;
        return HttpResponse.ok(stream(id, request, caller, cursor, slot)).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
      } finally {
        if (!streaming) {
          slot.release();
        }
      }
    }
  }

  private MutableHttpResponse<?> refused(StreamSlots.Refusal refusal, Caller caller, String id) {
    if (refusal == StreamSlots.Refusal.CALLER_FULL) {
      LOG.warn("refused an event stream of {}: it has {} open (aligntok.events.max-streams-per-caller)", caller.owner(),
          settings.maxStreamsPerCaller());
      return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
          .body(new ErrorBody("quota exceeded: at most " + settings.maxStreamsPerCaller() + " event streams open per"
              + " caller at this instance; close one, retry shortly or poll GET /v1/generations/" + id,
              List.of(new FieldError("maxStreamsPerCaller", "at most " + settings.maxStreamsPerCaller()
                  + " open event streams"))));
    }
    LOG.warn("refused an event stream: {} streams are open (aligntok.events.max-streams)", settings.maxStreams());
    return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
        .body(ErrorBody.of("this instance has its maximum of " + settings.maxStreams()
            + " event streams open; retry shortly or poll GET /v1/generations/" + id));
  }

  private Flux<Event<?>> stream(String id, HttpRequest<?> request, Caller caller, EventCursor cursor,
                                StreamSlots.Slot slot) {
    EventStream stream = new EventStream(cursor, settings, System::nanoTime);
    return Flux.interval(Duration.ZERO, settings.pollInterval())
        .onBackpressureDrop() // a slow lookup skips ticks instead of queueing them
        .concatMap(tick -> Mono.fromCallable(() -> poll(id, request, caller)).subscribeOn(Schedulers.boundedElastic()), 1)
        .map(polled -> stream.tick(polled.status()))
        .takeUntil(events -> stream.over())
        .concatMapIterable(events -> events)
        .doFinally(signal -> slot.release()); // complete, error, or cancel (the client went away)
  }

  /** Polls until the caller's request shows in the status store, or for {@code aligntok.events.wait-for-id}. */
  private Polled awaitVisible(String id, HttpRequest<?> request, Caller caller) {
    long deadline = System.nanoTime() + settings.waitForId().toNanos();
    while (true) {
      Polled polled = poll(id, request, caller);
      if (polled.status() != null || System.nanoTime() >= deadline) {
        return polled;
      }
      try {
        Thread.sleep(settings.pollInterval().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return polled;
      }
    }
  }

  /** The request's status as the caller may see it, here or at the owning instance; null with the answer why not. */
  private Polled poll(String id, HttpRequest<?> request, Caller caller) {
    MutableHttpResponse<?> answer;
    try {
      answer = routing.ask(QueryStores.STATUS, id, "GET", "/v1/generations/" + id, request,
          () -> stores.status(id).filter(status -> caller.owns(status.getOwner()))
              .<MutableHttpResponse<?>>map(status -> HttpResponse.ok(StatusView.of(status)))
              .orElseGet(HttpResponse::notFound));
    } catch (StoreUnavailableException e) {
      // Rebalancing: an open stream waits it out instead of failing.
      return new Polled(null, QueryRouting.retryLater(e.getMessage()));
    }
    if (answer.status() != HttpStatus.OK) {
      return new Polled(null, answer);
    }
    Object body = answer.body();
    if (body instanceof StatusView view) {
      return new Polled(view, answer);
    }
    try {
      return new Polled(json.readValue((byte[]) body, StatusView.class), answer); // relayed from the owner
    } catch (IOException | ClassCastException e) {
      return new Polled(null, QueryRouting.retryLater("the status of request " + id + " from its owner was unreadable"));
    }
  }

  /** @param status null when {@code answer} is not a status (404, 503, ...) */
  private record Polled(@Nullable StatusView status, MutableHttpResponse<?> answer) {}
}
