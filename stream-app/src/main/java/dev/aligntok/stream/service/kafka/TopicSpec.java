package dev.aligntok.stream.service.kafka;

/**
 * A topic the service needs.
 *
 * @param compacted whether it must have {@code cleanup.policy=compact} (it holds the latest value per key)
 */
public record TopicSpec(String name, boolean compacted) {}
