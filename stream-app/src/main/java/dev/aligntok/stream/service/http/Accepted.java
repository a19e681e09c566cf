package dev.aligntok.stream.service.http;

import io.micronaut.serde.annotation.Serdeable;

/** Body of a 202: the id to query or cancel. */
@Serdeable
public record Accepted(String id) {}
