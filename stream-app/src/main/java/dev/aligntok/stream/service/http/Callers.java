package dev.aligntok.stream.service.http;

import dev.aligntok.stream.service.config.AuthSettings;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;

/** The {@link Caller} of a request: set by {@link AuthFilter}, or everyone-may-everything when authentication is off. */
@Singleton
final class Callers {
  static final String ATTRIBUTE = "aligntok.caller";

  private final boolean authEnabled;

  Callers(AuthSettings settings) {
    this.authEnabled = settings.enabled();
  }

  Caller of(HttpRequest<?> request) {
    if (!authEnabled) {
      return Caller.UNAUTHENTICATED;
    }
    return request.getAttribute(ATTRIBUTE, Caller.class).orElse(Caller.NOBODY);
  }
}
