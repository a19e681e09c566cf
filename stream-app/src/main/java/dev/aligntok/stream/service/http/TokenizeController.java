package dev.aligntok.stream.service.http;

import dev.aligntok.events.ImageEvent;
import dev.aligntok.inference.image.ImageFormat;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.logging.LogContext;
import dev.aligntok.stream.service.config.TokenizeSettings;
import dev.aligntok.stream.service.kafka.EventPublisher;
import dev.aligntok.stream.service.kafka.OwnerTags;
import dev.aligntok.stream.service.kafka.QueryStores;
import dev.aligntok.stream.service.model.ModelPorts;
import dev.aligntok.stream.service.query.StoreReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts one image (PNG, JPEG, WebP, GIF or BMP bytes as the body, {@link ImageFormat}) for
 * tokenization: written to the images topic, its latent appears on the latents topic under the
 * returned id. The bytes are checked only as far as the declared type's signature and the size
 * limit; decoding (which goes by the signature, not the declared type) happens in the pipeline,
 * whose failures go to the dead-letter topic. Another Content-Type gets 415 ({@link ServiceErrors}).
 * The 202 ({@link TokenizeAccepted}) names the id the latent will carry and, from the bundle in
 * service, the shape and dtype it will have (the web console shows them).
 *
 * <p>{@code GET /v1/tokenize/{id}} then shows the latent as produced (layout, timings), from the
 * latents store at the instance owning the id, to the caller that uploaded the image or an admin;
 * everyone else hears 404, as for an id not seen (or not finished, or expired). The caller is
 * carried to the latent in the image's metadata under a tag only the service can make
 * ({@link OwnerTags}); images written to Kafka directly are an admin's.
 */
@Controller("/v1/tokenize")
@ExecuteOn(TaskExecutors.BLOCKING)
public class TokenizeController {
  private static final Logger LOG = LoggerFactory.getLogger(TokenizeController.class);

  private final EventPublisher publisher;
  private final RequestIds ids;
  private final long maxBytes;
  private final SubmissionQuotas quotas;
  private final Callers callers;
  private final ModelPorts model;
  private final String latentDtype;
  private final OwnerTags owners;
  private final StoreReader stores;
  private final QueryRouting routing;
  private final boolean lookupEnabled;

  TokenizeController(EventPublisher publisher, RequestIds ids, TokenizeConfig config, SubmissionQuotas quotas,
                     Callers callers, ModelPorts model, OwnerTags owners, StoreReader stores, QueryRouting routing,
                     TokenizeSettings settings) {
    this.lookupEnabled = settings.lookupEnabled();
    this.owners = owners;
    this.stores = stores;
    this.routing = routing;
    this.model = model;
    this.latentDtype = config.latentDtype().name();
    this.quotas = quotas;
    this.callers = callers;
    this.publisher = publisher;
    this.ids = ids;
    this.maxBytes = config.imageLimits().maxEncodedBytes();
  }

  @Post(consumes = {MediaType.IMAGE_PNG, MediaType.IMAGE_JPEG, MediaType.IMAGE_WEBP, MediaType.IMAGE_GIF, MediaType.IMAGE_BMP})
  public MutableHttpResponse<?> submit(@Body byte[] image, @Header("Content-Type") String contentType,
                                       @Nullable @QueryValue String id, @Nullable @QueryValue String label,
                                       HttpRequest<?> request) {
    if (image.length > maxBytes) {
      return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
          .body(ErrorBody.of("image has " + image.length + " bytes, at most " + maxBytes + " are accepted"));
    }
    String type = MediaType.of(contentType).getName();
    List<FieldError> errors = new ArrayList<>();
    String imageId = id == null ? ids.newId() : id;
    ids.problem(imageId).ifPresent(problem -> errors.add(new FieldError("id", problem)));
    if (image.length == 0) {
      errors.add(new FieldError("body", "is empty; send the image bytes"));
    } else if (ImageFormat.sniff(image) != ImageFormat.ofMediaType(type)) {
      errors.add(new FieldError("body", "is not a " + type + " image (its first bytes do not match)"));
    }
    if (!errors.isEmpty()) {
      return HttpResponse.badRequest(new ErrorBody("invalid image", errors));
    }
    // Images have no in-flight state the service tracks (no status): only the rate applies.
    Caller caller = callers.of(request);
    Optional<MutableHttpResponse<?>> refusal = quotas.rateRefusal(SubmissionQuotas.Route.TOKENIZE, caller);
    if (refusal.isPresent()) {
      return refusal.get();
    }
    try (LogContext.Scope log = LogContext.requestId(imageId)) {
      publisher.image(ImageEvent.newBuilder()
          .setId(imageId)
          .setData(ByteBuffer.wrap(image))
          .setContentType(type)
          .setLabel(label)
          .setMetadata(owners.tagged(Map.of(), imageId, caller.owner()))
          .setCreatedAtMs(Instant.now())
          .build());
      LOG.info("accepted a {} image of {} bytes for tokenization", type, image.length);
    }
    TokenizeAccepted.Latent latent = model.latentLayout()
        .map(layout -> new TokenizeAccepted.Latent(layout.shape(), latentDtype, layout.bundleId())).orElse(null);
    return HttpResponse.accepted().body(new TokenizeAccepted(imageId, latent));
  }

  @Get("/{id}")
  public MutableHttpResponse<?> latent(String id, HttpRequest<?> request) {
    try (LogContext.Scope log = LogContext.requestId(id)) {
      if (!lookupEnabled) {
        return HttpResponse.notFound(ErrorBody.of("latents are not looked up on this deployment"
            + " (aligntok.tokenize.lookup-enabled=false); read them from the latents topic"));
      }
      Caller caller = callers.of(request);
      return routing.route(QueryStores.LATENTS, id, request, () -> stores.latent(id)
          .filter(latent -> caller.owns(latent.owner()))
          .<MutableHttpResponse<?>>map(latent -> HttpResponse.ok(LatentLookup.of(latent)))
          .orElseGet(() -> HttpResponse.notFound(ErrorBody.of("no latent of image " + id
              + " is known (not produced yet, never uploaded, or past the retention)"))));
    }
  }
}
