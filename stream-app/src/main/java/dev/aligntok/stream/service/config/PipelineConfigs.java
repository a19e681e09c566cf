package dev.aligntok.stream.service.config;

import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.DeadLetterLimits;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import dev.aligntok.stream.output.BoundedText;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** Turns the settings into the topologies' own configuration records (which validate themselves). */
@Factory
public class PipelineConfigs {
  @Singleton
  TopicNames topicNames(TopicSettings topics) {
    return topics.names();
  }

  /**
   * Checked against the Streams producer's {@code max.request.size} (an {@code aligntok.kafka.properties}
   * entry, else Kafka's default): a start that could write a record the producer refuses fails here,
   * naming the keys, instead of aborting transactions later.
   */
  @Singleton
  OutputLimits outputLimits(OutputSettings output, PassThroughProperties passThrough) {
    DeadLetterLimits deadLetters;
    try {
      deadLetters = new DeadLetterLimits(output.deadLetterValueBytes(), output.deadLetterKeyBytes(),
          output.deadLetterHeaderBytes());
      return new OutputLimits(output.maxRecordBytes(), producerMaxRequestBytes(passThrough.kafka()), deadLetters);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("aligntok.output (max-record-bytes, dead-letter-value-bytes, dead-letter-key-bytes,"
          + " dead-letter-header-bytes) against the producer's max.request.size: " + e.getMessage(), e);
    }
  }

  /** The Streams producer's {@code max.request.size}: a producer-prefixed entry wins, as in Kafka Streams. */
  static int producerMaxRequestBytes(Map<String, String> kafkaProperties) {
    String key = ProducerConfig.MAX_REQUEST_SIZE_CONFIG;
    String value = kafkaProperties.getOrDefault(StreamsConfig.producerPrefix(key), kafkaProperties.get(key));
    if (value == null) {
      return OutputLimits.KAFKA_DEFAULT_MAX_REQUEST_BYTES;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("aligntok.kafka.properties " + key + " must be a number of bytes, got '"
          + BoundedText.of(value) + "'", e);
    }
  }

  @Singleton
  TokenizeConfig tokenizeConfig(TopicNames topics, TokenizeSettings tokenize, OutputLimits output, KafkaSettings kafka,
                                BatchingSettings batching, MetadataSettings metadata) {
    ImageLimits limits = new ImageLimits(tokenize.maxEncodedBytes(), tokenize.maxWidth(), tokenize.maxHeight(),
        tokenize.maxPixels());
    return new TokenizeConfig(topics, batching(tokenize.batchSize(), tokenize.maxWait(), kafka, batching), limits,
        output, tokenize.latentDtype(), metadata.limits(), tokenize.maxBatchPixels());
  }

  @Singleton
  GenerateConfig generateConfig(TopicNames topics, GenerateSettings generate, OutputLimits output, KafkaSettings kafka,
                                BatchingSettings batching, MetadataSettings metadata) {
    GenerationLimits limits = new GenerationLimits(generate.maxCount(), generate.maxSteps(), generate.maxCfgScale(),
        generate.maxIdLength(), generate.maxPromptLength(), generate.minPriority(), generate.maxPriority(),
        metadata.limits());
    if (generate.progressInterval().compareTo(kafka.maxBatchDuration()) >= 0) {
      throw new IllegalArgumentException("aligntok.generate.progress-interval " + generate.progressInterval()
          + " must be below aligntok.kafka.max-batch-duration " + kafka.maxBatchDuration()
          + " (a batch reports progress between parts; 0 runs it in one part)");
    }
    return new GenerateConfig(topics, batching(generate.batchSize(), generate.maxWait(), kafka, batching), limits,
        output, generate.blobThreshold(), generate.duplicateWindow(), generate.progressInterval());
  }

  /** A pipeline's batching: its size and wait, the shared batch time limit (the watchdog's) and attempts. */
  private static BatchingConfig batching(int size, java.time.Duration maxWait, KafkaSettings kafka,
                                         BatchingSettings batching) {
    return BatchingConfig.of(size, maxWait).withMaxBatchDuration(kafka.maxBatchDuration())
        .withMaxRunDuration(kafka.maxRunDuration()).withMaxAttempts(batching.maxAttempts());
  }
}
