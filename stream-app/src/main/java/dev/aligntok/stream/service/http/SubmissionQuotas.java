package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.config.AuthSettings;
import dev.aligntok.stream.service.config.QuotaSettings;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.query.StoreReader;
import dev.aligntok.stream.service.query.StoreUnavailableException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-caller quotas ({@link QuotaSettings}): refuses a submission with 429 and
 * {@code Retry-After} when the caller has too many requests in flight or submits too fast.
 *
 * <p>In flight is counted cluster-wide from the status topic ({@link QueryStores#IN_FLIGHT}, asked at
 * the instance owning the caller's key, like a status query), so it holds across instances and
 * restarts; a request counts from its admission (QUEUED) to its final state. Submissions made while
 * earlier ones are not admitted yet can pass it: the rate quota bounds that burst. The rate is a
 * token bucket per caller and route on each instance: behind a load balancer spreading one caller over
 * N instances the caller may submit up to N times the rate. When the in-flight count cannot be asked
 * (a rebalance), the submission is let through: the quota protects capacity, and the pipeline stays
 * correct without it.
 */
@Singleton
final class SubmissionQuotas {
  /** The routes that submit work, each with its own rate bucket per caller. */
  enum Route { GENERATIONS, TOKENIZE }

  /** Seconds a caller at its in-flight quota is asked to wait: when a slot frees is not known in advance. */
  static final int IN_FLIGHT_RETRY_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(SubmissionQuotas.class);
  private static final String USAGE_PATH = "/v1/quotas";

  private final boolean applied;
  private final QuotaSettings settings;
  private final Map<Route, TokenBuckets> rates = new EnumMap<>(Route.class);
  private final StoreReader stores;
  private final QueryRouting routing;
  private final JsonMapper json;

  SubmissionQuotas(QuotaSettings settings, AuthSettings auth, QuotaClock clock, StoreReader stores,
                   QueryRouting routing, JsonMapper json) {
    // With authentication off every client is the one anonymous caller: no per-caller quota.
    this.applied = auth.enabled();
    this.settings = settings;
    this.stores = stores;
    this.routing = routing;
    this.json = json;
    if (settings.submissionsPerMinute() > 0) {
      for (Route route : Route.values()) {
        rates.put(route, new TokenBuckets(settings.submissionsPerMinute(), settings.maxTrackedCallers(),
            clock::nanoTime));
      }
    }
  }

  /** The caller's quotas and in-flight count, from this instance's stores (the caller's key must be here). */
  QuotaUsage usage(Caller caller) {
    return new QuotaUsage(stores.inFlight(caller.owner()), applied ? settings.maxInFlight() : 0,
        applied ? settings.submissionsPerMinute() : 0);
  }

  /** The 429 for a caller at its in-flight quota, or empty. */
  Optional<MutableHttpResponse<?>> inFlightRefusal(Caller caller, HttpRequest<?> request) {
    int max = settings.maxInFlight();
    if (!applied || max == 0) {
      return Optional.empty();
    }
    Optional<QuotaUsage> usage = askUsage(caller, request);
    if (usage.isEmpty() || usage.get().inFlight() < max) {
      return Optional.empty();
    }
    LOG.info("refused a submission of {}: {} requests in flight, at most {}", caller.owner(), usage.get().inFlight(), max);
    return Optional.of(tooMany(IN_FLIGHT_RETRY_SECONDS, "quota exceeded: at most " + max
        + " generation requests in flight per caller, and " + usage.get().inFlight() + " are queued or running;"
        + " retry when one has ended", "maxInFlight", "at most " + max + " requests in flight"));
  }

  /** Takes one of the caller's submissions on {@code route}, or answers 429 when none is left. */
  Optional<MutableHttpResponse<?>> rateRefusal(Route route, Caller caller) {
    TokenBuckets buckets = rates.get(route);
    if (!applied || buckets == null) {
      return Optional.empty();
    }
    long waitNanos = buckets.take(QueryStores.ownerKey(caller.owner()));
    if (waitNanos == 0) {
      return Optional.empty();
    }
    // Whole seconds, rounded up: a retry after Retry-After finds a token.
    long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
    int perMinute = settings.submissionsPerMinute();
    LOG.info("refused a submission of {}: more than {} per minute", caller.owner(), perMinute);
    return Optional.of(tooMany(seconds, "quota exceeded: at most " + perMinute + " submissions per minute per"
        + " caller on this route; retry in " + seconds + " s", "submissionsPerMinute", "at most " + perMinute
        + " per minute"));
  }

  /** The caller's usage at the instance owning its key; empty when no instance can say now. */
  private Optional<QuotaUsage> askUsage(Caller caller, HttpRequest<?> request) {
    MutableHttpResponse<?> answer;
    try {
      answer = routing.ask(QueryStores.IN_FLIGHT, QueryStores.ownerKey(caller.owner()), "GET", USAGE_PATH, request,
          () -> HttpResponse.ok(usage(caller)));
    } catch (StoreUnavailableException e) {
      LOG.debug("in-flight count of {} unknown ({}): submission let through", caller.owner(), e.getMessage());
      return Optional.empty();
    }
    if (answer.status() != HttpStatus.OK) {
      LOG.debug("in-flight count of {} unknown ({}): submission let through", caller.owner(), answer.status());
      return Optional.empty();
    }
    Object body = answer.body();
    if (body instanceof QuotaUsage usage) {
      return Optional.of(usage);
    }
    try {
      return Optional.of(json.readValue((byte[]) body, QuotaUsage.class));
    } catch (IOException | ClassCastException e) {
      LOG.warn("the in-flight count of {} from its instance cannot be read: {}", caller.owner(), e.toString());
      return Optional.empty();
    }
  }

  private static MutableHttpResponse<?> tooMany(long retryAfterSeconds, String message, String quota, String limit) {
    return HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
        .body(new ErrorBody(message, List.of(new FieldError(quota, limit))));
  }
}
