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
  TokenizeConfig tokenizeConfig(TopicNames topics, TokenizeSettings tokenize, OutputLimits output) {
    ImageLimits limits = new ImageLimits(tokenize.maxEncodedBytes(), tokenize.maxWidth(), tokenize.maxHeight(),
        tokenize.maxPixels());
    return new TokenizeConfig(topics, BatchingConfig.of(tokenize.batchSize(), tokenize.maxWait()), limits, output,
        tokenize.latentDtype(), tokenize.maxBatchPixels());
  }

  @Singleton
  GenerateConfig generateConfig(TopicNames topics, GenerateSettings generate, OutputLimits output) {
    GenerationLimits limits = new GenerationLimits(generate.maxCount(), generate.maxSteps(), generate.maxCfgScale(),
        generate.maxIdLength());
    return new GenerateConfig(topics, BatchingConfig.of(generate.batchSize(), generate.maxWait()), limits, output,
        generate.blobThreshold(), generate.duplicateWindow());
  }
}
