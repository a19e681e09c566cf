package dev.aligntok.stream.service.kafka;

import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.generate.GenerateTopology;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.service.config.ConfiguredBlobStore;
import dev.aligntok.stream.service.config.GenerateSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import dev.aligntok.stream.service.metrics.TimedPorts;
import dev.aligntok.stream.service.model.ModelPorts;
import dev.aligntok.stream.tokenize.TokenizeTopology;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;

/**
 * The service's topology: the enabled pipelines over the (timed) model ports, plus the stores the
 * HTTP API queries. With both pipelines disabled the instance still serves the API.
 */
@Singleton
public final class ServiceTopology {
  private final TokenizeSettings tokenizeSettings;
  private final GenerateSettings generateSettings;
  private final TokenizeConfig tokenize;
  private final GenerateConfig generate;
  private final ModelPorts model;
  private final TimedPorts timed;
  private final EventSerdes serdes;
  private final ConfiguredBlobStore blobs;

  public ServiceTopology(TokenizeSettings tokenizeSettings, GenerateSettings generateSettings, TokenizeConfig tokenize,
                         GenerateConfig generate, ModelPorts model, TimedPorts timed, EventSerdes serdes,
                         ConfiguredBlobStore blobs) {
    this.tokenizeSettings = tokenizeSettings;
    this.generateSettings = generateSettings;
    this.tokenize = tokenize;
    this.generate = generate;
    this.model = model;
    this.timed = timed;
    this.serdes = serdes;
    this.blobs = blobs;
  }

  public Topology build() {
    StreamsBuilder builder = new StreamsBuilder();
    if (tokenizeSettings.enabled()) {
      LatentEncoderPort encoder = required(model.encoder(), "aligntok.tokenize.enabled", "an encoder");
      TokenizeTopology.build(builder, tokenize, timed.timed(encoder), blobs.get(), serdes);
    }
    if (generateSettings.enabled()) {
      ImageGeneratorPort generator = required(model.generator(), "aligntok.generate.enabled", "a generator");
      GenerateTopology.build(builder, generate, timed.timed(generator), blobs.get(), serdes);
    }
    QueryStores.addTo(builder, generate.topics(), serdes, generateSettings.imageRetention());
    return builder.build();
  }

  private static <T> T required(Optional<T> port, String flag, String what) {
    return port.orElseThrow(() -> new IllegalStateException(flag + " is true but the loaded model offers no " + what
        + "; disable the pipeline or load a bundle that has it"));
  }
}
