/**
 * Runs the webhook delivery ({@code stream.webhook}) inside the service when
 * {@code aligntok.webhooks.enabled}: its own consumer group on the status topic, a producer for
 * its dead letters, metrics; may import service.kafka, service.metrics and service.config.
 */
package dev.aligntok.stream.service.webhook;
