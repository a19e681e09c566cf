package dev.aligntok.stream.service.kafka;

import dev.aligntok.stream.StreamApp;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.service.config.ConfiguredBlobStore;
import dev.aligntok.stream.service.config.GenerateSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import dev.aligntok.stream.service.metrics.TimedPorts;
import dev.aligntok.stream.service.model.ModelPorts;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.apache.kafka.streams.Topology;

/**
 * The service's topology: the enabled pipelines' (timed) model ports, handed to {@link StreamApp}
 * (the one place a topology is assembled) with the stores the HTTP API queries. With both
 * pipelines disabled the instance still serves the API.
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
  private final OwnerTags owners;

  public ServiceTopology(TokenizeSettings tokenizeSettings, GenerateSettings generateSettings, TokenizeConfig tokenize,
                         GenerateConfig generate, ModelPorts model, TimedPorts timed, EventSerdes serdes,
                         ConfiguredBlobStore blobs, OwnerTags owners) {
    this.owners = owners;
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
    LatentEncoderPort encoder = tokenizeSettings.enabled()
        ? timed.timed(required(model.encoder(), "aligntok.tokenize.enabled", "an encoder")) : null;
    ImageGeneratorPort generator = generateSettings.enabled()
        ? timed.timed(required(model.generator(), "aligntok.generate.enabled", "a generator")) : null;
    return StreamApp.topology(tokenize, encoder, generate, generator, blobs.get(), owners.requestOwners(), serdes,
        builder -> QueryStores.addTo(builder, generate.topics(), serdes, generateSettings.imageRetention(),
            tokenizeSettings.lookupEnabled() ? tokenizeSettings.lookupRetention() : null, owners));
  }

  private static <T> T required(Optional<T> port, String flag, String what) {
    return port.orElseThrow(() -> new IllegalStateException(flag + " is true but the loaded model offers no " + what
        + "; disable the pipeline or load a bundle that has it"));
  }
}
