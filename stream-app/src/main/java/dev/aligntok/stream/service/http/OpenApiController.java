package dev.aligntok.stream.service.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Serves the hand-written OpenAPI document of the HTTP API ({@code openapi.yml} on the classpath). */
@Controller
public class OpenApiController {
  static final String RESOURCE = "openapi.yml";

  private final byte[] document;

  public OpenApiController() {
    try (InputStream in = OpenApiController.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      this.document = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  @Get(value = "/openapi.yml", produces = "application/yaml")
  public HttpResponse<byte[]> document() {
    return HttpResponse.ok(document);
  }
}
