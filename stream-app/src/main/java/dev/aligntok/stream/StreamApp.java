package dev.aligntok.stream;

import dev.aligntok.stream.blob.BlobStore;
import dev.aligntok.stream.config.GenerateConfig;
import dev.aligntok.stream.config.TokenizeConfig;
import dev.aligntok.stream.generate.GenerateTopology;
import dev.aligntok.stream.generate.RequestOwners;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.output.EventSerdes;
import dev.aligntok.stream.tokenize.TokenizeTopology;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Assembles the service's topology and its Kafka Streams settings; the configuration framework
 * (Micronaut, later) only supplies the values.
 */
public final class StreamApp {
  private StreamApp() {}

  /**
   * Both topologies in one application, without a blob store (images by URI are refused, generated
   * images stay inline); a null port leaves its topology out (a tokenize-only or generate-only
   * deployment).
   */
  public static Topology topology(TokenizeConfig tokenize, LatentEncoderPort encoder,
                                  GenerateConfig generate, ImageGeneratorPort generator, EventSerdes serdes) {
    if (encoder == null && generator == null) {
      throw new IllegalArgumentException("at least one of the encoder and the generator is needed, both are null");
    }
    return topology(tokenize, encoder, generate, generator, Optional.empty(), RequestOwners.AS_WRITTEN, serdes,
        builder -> {});
  }

  /**
   * The one place the topology is assembled: the tokenize pipeline when {@code encoder} is given, the
   * generate pipeline when {@code generator} is given (its statuses carrying the owner {@code owners}
   * trusts), then whatever {@code more} adds (the service adds the stores its HTTP API queries, and
   * serves that API even with both pipelines left out).
   */
  public static Topology topology(TokenizeConfig tokenize, LatentEncoderPort encoder, GenerateConfig generate,
                                  ImageGeneratorPort generator, Optional<BlobStore> blobs, RequestOwners owners,
                                  EventSerdes serdes, Consumer<StreamsBuilder> more) {
    StreamsBuilder builder = new StreamsBuilder();
    if (encoder != null) {
      TokenizeTopology.build(builder, tokenize, encoder, blobs, serdes);
    }
    if (generator != null) {
      GenerateTopology.build(builder, generate, generator, blobs, serdes, owners);
    }
    more.accept(builder);
    return builder.build();
  }

  /** Default bound on Kafka Streams' input buffer per partition; see the heap sizing in docs/operations.md. */
  public static final int BUFFERED_RECORDS_PER_PARTITION = 64;

  /**
   * Streams settings: exactly_once_v2 unless an override says otherwise, and
   * {@code max.poll.interval.ms} at least 10 × the longest batch budget, so a slow batch never
   * gets its member kicked out of the group mid-transaction, and a transaction timeout of 3 × the
   * batch budget (at least 60 s, at most the broker's default cap of 15 min), and
   * {@link UnwritableRecordHandler} as the production exception handler.
   *
   * @param maxBatchMillis the longest a single batch may take (model time)
   * @param overrides      passed through last (security, tuning); they win
   */
  public static Properties streamsProperties(String applicationId, String bootstrapServers, long maxBatchMillis,
                                             Map<String, ?> overrides) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    long pollInterval = Math.max(300_000L, 10 * maxBatchMillis);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), Long.toString(pollInterval));
    // Streams' exactly-once default of 10 s would let the coordinator abort a transaction that is
    // still open while a long batch runs; brokers cap it at transaction.max.timeout.ms (15 min default).
    long transactionTimeout = Math.min(900_000L, Math.max(60_000L, 3 * maxBatchMillis));
    props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), Long.toString(transactionTimeout));
    // Skips (and counts) a record Kafka refuses for its own sake instead of failing the thread; see the handler.
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, UnwritableRecordHandler.class.getName());
    // Records fetched but not yet processed, per partition: Streams' default of 1,000 would let a burst
    // of near-limit records (1 MiB each) buffer 1 GiB per partition. 64 keeps two batches' worth.
    props.put(StreamsConfig.BUFFERED_RECORDS_PER_PARTITION_CONFIG, Integer.toString(BUFFERED_RECORDS_PER_PARTITION));
    props.putAll(overrides);
    return props;
  }
}
