/**
 * Signed webhooks (Standard Webhooks format) for generation requests, outside the stream
 * transaction: the secret and signer ({@link dev.aligntok.stream.webhook.WebhookSecret},
 * {@link dev.aligntok.stream.webhook.WebhookSigner}), where calls may go
 * ({@link dev.aligntok.stream.webhook.DestinationPolicy}), which states trigger one
 * ({@link dev.aligntok.stream.webhook.WebhookEvents}), the JSON body
 * ({@link dev.aligntok.stream.webhook.WebhookPayload}), one bounded HTTP call to a checked address
 * ({@link dev.aligntok.stream.webhook.PinnedHttpPost}), the at-least-once delivery loop over the
 * status topic ({@link dev.aligntok.stream.webhook.WebhookDispatcher}) and what keeps one caller or
 * receiver from holding up the rest ({@link dev.aligntok.stream.webhook.CallerLanes},
 * {@link dev.aligntok.stream.webhook.ReceiverBreaker}). No framework: the service
 * wires it in {@code service.webhook}.
 */
package dev.aligntok.stream.webhook;
