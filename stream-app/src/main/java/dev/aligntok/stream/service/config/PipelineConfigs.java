package dev.aligntok.stream.service.config;

import dev.aligntok.inference.image.ImageLimits;
import dev.aligntok.stream.config.BatchingConfig;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.GenerationLimits;
import dev.aligntok.stream.config.OutputLimits;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.config.TopicNames;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** Turns the settings into the topologies' own configuration records (which validate themselves). */
@Factory
public class PipelineConfigs {
  @Singleton
  TopicNames topicNames(TopicSettings topics) {
    return topics.names();
  }

  @Singleton
  OutputLimits outputLimits(OutputSettings output) {
    return new OutputLimits(output.maxRecordBytes());
  }

  @Singleton
  TokenizeConfig tokenizeConfig(TopicNames topics, TokenizeSettings tokenize, OutputLimits output, KafkaSettings kafka,
                                BatchingSettings batching) {
    ImageLimits limits = new ImageLimits(tokenize.maxEncodedBytes(), tokenize.maxWidth(), tokenize.maxHeight(),
        tokenize.maxPixels());
    return new TokenizeConfig(topics, batching(tokenize.batchSize(), tokenize.maxWait(), kafka, batching), limits,
        output, tokenize.latentDtype());
  }

  @Singleton
  GenerateConfig generateConfig(TopicNames topics, GenerateSettings generate, OutputLimits output, KafkaSettings kafka,
                                BatchingSettings batching) {
    GenerationLimits limits = new GenerationLimits(generate.maxCount(), generate.maxSteps(), generate.maxCfgScale(),
        generate.maxIdLength());
    return new GenerateConfig(topics, batching(generate.batchSize(), generate.maxWait(), kafka, batching), limits,
        output, generate.blobThreshold(), generate.duplicateWindow());
  }

  /** A pipeline's batching: its size and wait, the shared batch time limit (the watchdog's) and attempts. */
  private static BatchingConfig batching(int size, java.time.Duration maxWait, KafkaSettings kafka,
                                         BatchingSettings batching) {
    return BatchingConfig.of(size, maxWait).withMaxBatchDuration(kafka.maxBatchDuration())
        .withMaxAttempts(batching.maxAttempts());
  }
}
