package dev.aligntok.stream.service.http;

import dev.aligntok.stream.output.BoundedText;
import dev.aligntok.stream.runtime.BundleRejectedException;
import dev.aligntok.stream.service.model.ModelPorts;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload (admin role): {@code POST /v1/admin/bundle {"path": "/models/next"}} loads and
 * validates that bundle, then swaps it in between batches (running batches finish on the old one).
 * The directory must lie under a bundle root ({@link BundlePaths}). A bundle that fails validation
 * answers 422 with the reason, file system paths removed (the log has them); the bundle in service stays.
 */
@Controller("/v1/admin/bundle")
@ExecuteOn(TaskExecutors.BLOCKING)
public class BundleController {
  private static final Logger LOG = LoggerFactory.getLogger(BundleController.class);
  /** An absolute path inside a message: a '/' not preceded by a word character or a dot. */
  private static final Pattern PATH = Pattern.compile("(?<![\\w.])/[^\\s'\"(),;]*");
  private static final int MAX_REASON_CHARS = 300;

  private final ModelPorts model;
  private final BundlePaths paths;

  BundleController(ModelPorts model, BundlePaths paths) {
    this.model = model;
    this.paths = paths;
  }

  /** The request: a bundle directory as the service's file system sees it. */
  @Serdeable
  public record ReloadRequest(@Nullable String path) {}

  /** The answer: the id of the bundle now in service. */
  @Serdeable
  public record Reloaded(String bundleId) {}

  @Post
  public MutableHttpResponse<?> reload(@Body ReloadRequest request) {
    if (request == null || request.path() == null || request.path().isBlank()) {
      return HttpResponse.badRequest(new ErrorBody("invalid reload request",
          List.of(new FieldError("path", "is required: the bundle directory to serve"))));
    }
    BundlePaths.Resolved resolved = paths.resolve(request.path());
    if (resolved.refusal() != null) {
      return HttpResponse.badRequest(new ErrorBody("invalid reload request",
          List.of(new FieldError("path", resolved.refusal()))));
    }
    try {
      return HttpResponse.ok(new Reloaded(model.reload(resolved.path())));
    } catch (BundleRejectedException e) {
      LOG.warn("bundle reload rejected: {}", e.getMessage(), e);
      String message = e.getMessage().replace(e.rejected().toString(), "<path>");
      return HttpResponse.status(HttpStatus.UNPROCESSABLE_ENTITY).body(ErrorBody.of(withoutPaths(message)));
    } catch (RuntimeException e) {
      LOG.error("bundle reload failed", e);
      return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR)
          .body(ErrorBody.of("the reload failed; the service log has the details"));
    }
  }

  /** The validation reason without any file system path, bounded. */
  static String withoutPaths(String reason) {
    String scrubbed = PATH.matcher(reason == null ? "" : reason).replaceAll("<path>");
    return BoundedText.of(scrubbed, MAX_REASON_CHARS);
  }
}
