/**
 * The application: {@link dev.aligntok.stream.StreamApp} assembles the topology (the one place) and the
 * Kafka Streams settings, with the production exception handler they install; may import tokenize,
 * generate, batch, output, record, model, blob and config, never runtime or a service package.
 */
package dev.aligntok.stream;
