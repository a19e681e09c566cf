package dev.aligntok.stream.generate;

import dev.aligntok.events.GenerationRequest;
import java.util.List;

/**
 * The fields of a request that every one of its statuses carries: its owner (the HTTP API answers
 * only the owner) and its webhook with the event filter (so the webhook delivery needs the status
 * topic alone). {@link #NONE} when the request could not be read.
 */
record RequestTags(String owner, String webhook, List<String> webhookEvents) {
  static final RequestTags NONE = new RequestTags(null, null, null);

  /**
   * The request's tags: the owner {@code owners} trusts; a webhook beyond {@link GenerationRules#webhookFits}
   * is left out, so every status stays bounded.
   */
  static RequestTags of(GenerationRequest request, RequestOwners owners) {
    boolean fits = GenerationRules.webhookFits(request.getWebhook(), request.getWebhookEvents());
    return new RequestTags(owners.ownerOf(request), fits ? request.getWebhook() : null,
        fits ? request.getWebhookEvents() : null);
  }
}
