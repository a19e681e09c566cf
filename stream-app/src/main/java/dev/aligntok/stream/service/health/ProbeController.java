package dev.aligntok.stream.service.health;

import io.micronaut.context.annotation.Requires;
import io.micronaut.health.HealthStatus;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.management.endpoint.health.HealthEndpoint;
import io.micronaut.management.health.indicator.HealthCheckType;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The orchestrator's probes on the API port, anonymous and without details: {@code /health/readiness}
 * and {@code /health/liveness} answer {@code {"status":"UP"}} (200) or DOWN (503). The health
 * endpoint itself, with details (bundle ids, provider, Streams state, disk), and {@code /prometheus}
 * live on the management port ({@code endpoints.all.port}); present only when that port is set, as
 * otherwise the health endpoint serves these paths on the API port.
 */
@Controller("/health")
@Requires(property = "endpoints.all.port")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProbeController {
  private static final long PROBE_TIMEOUT_SECONDS = 5;

  private final HealthEndpoint health;

  ProbeController(HealthEndpoint health) {
    this.health = health;
  }

  /** The probe's answer: nothing but the aggregate status. */
  @Serdeable
  public record Probe(String status) {}

  @Get("/readiness")
  public HttpResponse<Probe> readiness() {
    return probe(HealthCheckType.READINESS);
  }

  @Get("/liveness")
  public HttpResponse<Probe> liveness() {
    return probe(HealthCheckType.LIVENESS);
  }

  private HttpResponse<Probe> probe(HealthCheckType type) {
    HealthStatus status = first(health.getHealth(null, type));
    boolean up = status.getOperational().orElse(true);
    return HttpResponse.<Probe>status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(new Probe(status.getName()));
  }

  /** The status the health endpoint publishes; DOWN when it says nothing within the probe's time. */
  private static HealthStatus first(Publisher<HealthResult> results) {
    CompletableFuture<HealthResult> first = new CompletableFuture<>();
    results.subscribe(new Subscriber<>() {
      @Override
      public void onSubscribe(Subscription subscription) {
        subscription.request(1);
      }

      @Override
      public void onNext(HealthResult result) {
        first.complete(result);
      }

      @Override
      public void onError(Throwable failure) {
        first.completeExceptionally(failure);
      }

      @Override
      public void onComplete() {
        first.complete(null);
      }
    });
    try {
      HealthResult result = first.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return result == null ? HealthStatus.DOWN : result.getStatus();
    } catch (ExecutionException | TimeoutException e) {
      return HealthStatus.DOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HealthStatus.DOWN;
    }
  }
}
