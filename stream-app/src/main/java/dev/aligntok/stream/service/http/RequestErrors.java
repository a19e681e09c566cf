package dev.aligntok.stream.service.http;

import io.micronaut.core.convert.exceptions.ConversionErrorException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.json.JsonSyntaxException;
import java.util.List;

/** Requests the framework cannot even read (malformed JSON, a value of the wrong type) as 400s in the API's error format. */
@Controller
public class RequestErrors {
  @Error(global = true, exception = JsonSyntaxException.class)
  public MutableHttpResponse<ErrorBody> malformed(JsonSyntaxException e) {
    return HttpResponse.badRequest(new ErrorBody("the body is not valid JSON",
        List.of(new FieldError("body", firstLine(e.getMessage())))));
  }

  @Error(global = true, exception = ConversionErrorException.class)
  public MutableHttpResponse<ErrorBody> unconvertible(ConversionErrorException e) {
    boolean body = e.getArgument().isAnnotationPresent(Body.class);
    String field = body ? "body" : e.getArgument().getName();
    Exception cause = e.getConversionError().getCause();
    return HttpResponse.badRequest(new ErrorBody("invalid request",
        List.of(new FieldError(field, firstLine(cause == null ? e.getMessage() : cause.getMessage())))));
  }

  /** Parser messages continue with source locations that mean nothing to a caller. */
  private static String firstLine(String message) {
    if (message == null) {
      return "cannot be read";
    }
    int newline = message.indexOf('\n');
    return (newline < 0 ? message : message.substring(0, newline)).strip();
  }
}
