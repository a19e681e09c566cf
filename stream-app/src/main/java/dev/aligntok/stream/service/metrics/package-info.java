/**
 * What the service observes of the pipelines (meters, batch progress for liveness, timed ports); may import
 * service.model, service.config, tokenize, generate, batch and model.
 */
package dev.aligntok.stream.service.metrics;
