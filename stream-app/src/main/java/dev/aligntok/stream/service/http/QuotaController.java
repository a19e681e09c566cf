package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.kafka.QueryStores;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /v1/quotas}: the caller's own quotas and requests in flight, answered by the instance
 * holding the caller's in-flight count (forwarded there like a status query). Submissions ask it too.
 */
@Controller("/v1/quotas")
@ExecuteOn(TaskExecutors.BLOCKING)
public class QuotaController {
  private final SubmissionQuotas quotas;
  private final QueryRouting routing;
  private final Callers callers;

  QuotaController(SubmissionQuotas quotas, QueryRouting routing, Callers callers) {
    this.quotas = quotas;
    this.routing = routing;
    this.callers = callers;
  }

  @Get
  public MutableHttpResponse<?> usage(HttpRequest<?> request) {
    Caller caller = callers.of(request);
    return routing.route(QueryStores.IN_FLIGHT, QueryStores.ownerKey(caller.owner()), request,
        () -> HttpResponse.ok(quotas.usage(caller)));
  }
}
