package dev.aligntok.stream.service.http;

import dev.aligntok.stream.runtime.BundleRejectedException;
import dev.aligntok.stream.service.model.ModelPorts;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.file.Path;
import java.util.List;

/**
 * Hot reload: {@code POST /v1/admin/bundle {"path": "/models/next"}} loads and validates that
 * bundle, then swaps it in between batches (running batches finish on the old one). A bundle that
 * fails validation answers 422 with the reason; the bundle in service stays.
 */
@Controller("/v1/admin/bundle")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BundleController {
  private final ModelPorts model;

  BundleController(ModelPorts model) {
    this.model = model;
  }

  /** The request: a bundle directory as the service's file system sees it. */
  @Serdeable
  public record ReloadRequest(String path) {}

  /** The answer: the id of the bundle now in service. */
  @Serdeable
  public record Reloaded(String bundleId) {}

  @Post
  public MutableHttpResponse<?> reload(@Body ReloadRequest request) {
    if (request == null || request.path() == null || request.path().isBlank()) {
      return HttpResponse.badRequest(new ErrorBody("invalid reload request",
          List.of(new FieldError("path", "is required: the bundle directory to serve"))));
    }
    try {
      return HttpResponse.ok(new Reloaded(model.reload(Path.of(request.path()))));
    } catch (BundleRejectedException e) {
      return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(ErrorBody.of(e.getMessage()));
    } catch (UnsupportedOperationException e) {
      return HttpResponse.status(HttpStatus.CONFLICT).body(ErrorBody.of(e.getMessage()));
    }
  }
}
