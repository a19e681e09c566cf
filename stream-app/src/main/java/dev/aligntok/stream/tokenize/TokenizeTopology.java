package dev.aligntok.stream.tokenize;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.stream.batch.MicroBatching;
import dev.aligntok.stream.batch.PayloadReader;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.output.OutputEncoder;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * images → (read, validate, fetch a URI's blob, check limits) → micro-batch → encode → latents;
 * every failure to the dead-letter topic. See {@link TokenizeWork}.
 */
public final class TokenizeTopology {
  /** Name of the processor; its pending store is {@code tokenize-pending}. */
  public static final String NAME = "tokenize";

  private TokenizeTopology() {}

  /** @param blobs where images given by URI are read; empty: such images are refused (dead-lettered) */
  public static void build(StreamsBuilder builder, TokenizeConfig config, LatentEncoderPort encoder,
                           Optional<BlobStore> blobs, EventSerdes serdes) {
    PayloadReader<ImageEvent> reader = new PayloadReader<>(ImageEvent.class, serdes.serde(ImageEvent.class).deserializer());
    OutputEncoder<LatentEvent> latents = new OutputEncoder<>(config.topics().latents(),
        serdes.serde(LatentEvent.class).serializer(), config.output().maxRecordBytes());
    ImageDecoder decoder = new ImageDecoder(config.imageLimits());
    ImageBytes images = new ImageBytes(blobs, config.imageLimits().maxEncodedBytes(), config.metadata());
    PixelBudget budget = new PixelBudget(config.maxBatchPixels(), config.batching().maxBatchSize());
    MicroBatching.addTo(builder, NAME, config.topics().images(), config.batching(),
        () -> new TokenizeWork(reader, images, decoder, encoder, latents, config.latentDtype(), budget), Set.of(),
        new DeadLetters(config.topics().deadLetters(), serdes.serde(DeadLetter.class).serializer(),
            config.output().deadLetters(), blobs),
        config.output().maxPendingRecordBytes());
  }
}
