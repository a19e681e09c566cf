package dev.aligntok.stream.service.http;

import io.micronaut.serde.annotation.Serdeable;

/** One problem with one field of a request. */
@Serdeable
public record FieldError(String field, String message) {}
