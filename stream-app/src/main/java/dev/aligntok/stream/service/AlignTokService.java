package dev.aligntok.stream.service;

import io.micronaut.runtime.Micronaut;

/**
 * Entry point of the deployed service: Kafka Streams (tokenize and generate topologies), the HTTP
 * API, health and metrics, configured by {@code application.yml} and environment variables.
 */
public final class AlignTokService {
  private AlignTokService() {}

  public static void main(String[] args) {
    GracefulShutdown.onSignals(Micronaut.run(AlignTokService.class, args));
  }
}
