package dev.aligntok.quickstart;

import picocli.CommandLine.Option;

/** Where the local broker and registry are: the options shared by the quickstart client and the pipeline benchmark. */
public final class StackOptions {
  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
      defaultValue = "${env:KAFKA_BOOTSTRAP:-127.0.0.1:9092}", description = "Kafka (default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(names = "--registry-url", paramLabel = "URL",
      defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081/apis/ccompat/v7}",
      description = "Confluent-compatible schema registry (default: ${DEFAULT-VALUE})")
  String registryUrl;

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String registryUrl() {
    return registryUrl;
  }
}
