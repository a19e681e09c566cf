package dev.aligntok.stream.service.http;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** Body of every error response: what went wrong and, for a 400, each field's problem. */
@Serdeable
public record ErrorBody(String message, List<FieldError> errors) {
  public static ErrorBody of(String message) {
    return new ErrorBody(message, List.of());
  }
}
