package dev.aligntok.stream.generate;

import dev.aligntok.events.DeadLetter;
import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.GenerationStatus;
import dev.aligntok.stream.batch.MicroBatching;
import dev.aligntok.stream.batch.PayloadReader;
import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.output.DeadLetters;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.output.OutputEncoder;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.StreamsBuilder;

/**
 * prompts → (read, validate, drop duplicate ids: QUEUED) → micro-batch by priority, deadline and sampler settings →
 * RUNNING → generate → generated images → SUCCEEDED; cancellations (a compacted topic, as a global
 * store) and deadlines end requests CANCELLED / EXPIRED before they run; every failure to the
 * dead-letter topic with a FAILED status; a request id seen within the duplicate window is a dead
 * letter only (the first request's status stands). See {@link GenerateWork}.
 */
public final class GenerateTopology {
  /** Name of the processor; its pending store is {@code generate-pending}. */
  public static final String NAME = "generate";

  private GenerateTopology() {}

  /**
   * @param blobs where PNGs above {@link GenerateConfig#blobThresholdBytes()} are written; needed
   *     only when that threshold is set
   */
  public static void build(StreamsBuilder builder, GenerateConfig config, ImageGeneratorPort generator,
                           Optional<BlobStore> blobs, EventSerdes serdes) {
    build(builder, config, generator, blobs, serdes, RequestOwners.AS_WRITTEN);
  }

  /** As above, with the statuses carrying the owner {@code owners} trusts (the service checks the HTTP API's tag). */
  public static void build(StreamsBuilder builder, GenerateConfig config, ImageGeneratorPort generator,
                           Optional<BlobStore> blobs, EventSerdes serdes, RequestOwners owners) {
    Cancellations.addTo(builder, config.topics().cancellations());
    PayloadReader<GenerationRequest> reader =
        new PayloadReader<>(GenerationRequest.class, serdes.serde(GenerationRequest.class).deserializer());
    int maxBytes = config.output().maxRecordBytes();
    OutputEncoder<GeneratedImage> images =
        new OutputEncoder<>(config.topics().generated(), serdes.serde(GeneratedImage.class).serializer(), maxBytes);
    OutputEncoder<GenerationStatus> statuses =
        new OutputEncoder<>(config.topics().status(), serdes.serde(GenerationStatus.class).serializer(), maxBytes);
    GenerationValidator validator = new GenerationValidator(config.limits(), generator);
    StatusUpdates status = new StatusUpdates(statuses, generator::bundleId);
    PngPlacement placement = new PngPlacement(blobs, config.blobThresholdBytes());
    MicroBatching.addTo(builder, NAME, config.topics().prompts(), config.batching(),
        () -> new GenerateWork(reader, validator, generator, images, placement, status, config.duplicateWindow(),
            config.progressInterval(), owners),
        Set.of(AcceptedRequestIds.storeBuilder()),
        new DeadLetters(config.topics().deadLetters(), serdes.serde(DeadLetter.class).serializer(),
            config.output().deadLetters(), blobs),
        config.output().maxPendingRecordBytes());
  }
}
