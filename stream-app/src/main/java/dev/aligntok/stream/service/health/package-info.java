/**
 * Liveness and readiness indicators and the probe endpoints, watching the running instance and the model;
 * may import service.kafka, service.metrics, service.model and service.config.
 */
package dev.aligntok.stream.service.health;
