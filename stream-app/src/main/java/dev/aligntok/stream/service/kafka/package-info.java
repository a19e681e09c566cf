/**
 * The service's Kafka side: client configs, topic provisioning, the request publisher, the service topology
 * with the stores the API queries, and the Streams runner; may import service.metrics, service.model,
 * service.config and every pipeline package.
 */
package dev.aligntok.stream.service.kafka;
