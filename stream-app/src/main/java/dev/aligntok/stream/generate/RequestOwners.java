package dev.aligntok.stream.generate;

import dev.aligntok.events.GenerationRequest;

/**
 * Which owner a request's statuses carry, and so who may see and cancel it through the HTTP API:
 * the owner it names, or none (admins only) when that claim cannot be trusted.
 */
@FunctionalInterface
public interface RequestOwners {
  /** The owner for {@code request}'s statuses; null for none. */
  String ownerOf(GenerationRequest request);

  /** The owner as written: where nothing can prove it (no owner secret), or no HTTP API reads it. */
  RequestOwners AS_WRITTEN = GenerationRequest::getOwner;
}
