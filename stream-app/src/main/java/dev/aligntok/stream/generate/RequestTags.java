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

  static RequestTags of(GenerationRequest request) {
    return new RequestTags(request.getOwner(), request.getWebhook(), request.getWebhookEvents());
  }
}
