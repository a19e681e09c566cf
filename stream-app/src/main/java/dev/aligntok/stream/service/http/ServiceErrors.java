package dev.aligntok.stream.service.http;

import dev.aligntok.schemas.registry.SchemaRegistryException;
import dev.aligntok.stream.output.BoundedText;
import dev.aligntok.stream.service.kafka.EventPublisher;
import dev.aligntok.stream.service.query.StoreUnavailableException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.server.exceptions.UnsupportedMediaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failures of the service's dependencies (Kafka, registry, stores) as 503s that say what failed,
 * and a body of the wrong type as a 415 that lists the accepted ones.
 */
@Controller
public class ServiceErrors {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceErrors.class);

  @Error(global = true, exception = EventPublisher.PublishException.class)
  public MutableHttpResponse<?> kafka(HttpRequest<?> request, EventPublisher.PublishException e) {
    return unavailable(request, e);
  }

  @Error(global = true, exception = SchemaRegistryException.class)
  public MutableHttpResponse<?> registry(HttpRequest<?> request, SchemaRegistryException e) {
    return unavailable(request, e);
  }

  @Error(global = true, exception = StoreUnavailableException.class)
  public MutableHttpResponse<?> store(HttpRequest<?> request, StoreUnavailableException e) {
    return QueryRouting.retryLater(e.getMessage());
  }

  @Error(global = true, exception = UnsupportedMediaException.class)
  public MutableHttpResponse<?> unsupportedMedia(UnsupportedMediaException e) {
    return HttpResponse.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE).body(ErrorBody.of(
        "Content-Type " + BoundedText.of(e.getContentType(), 100) + " is not accepted here; send one of "
            + String.join(", ", e.getAcceptableContentTypes())));
  }

  private static MutableHttpResponse<?> unavailable(HttpRequest<?> request, RuntimeException e) {
    LOG.warn("{} {} failed: {}", request.getMethodName(), request.getPath(), e.getMessage());
    return QueryRouting.retryLater(e.getMessage());
  }
}
