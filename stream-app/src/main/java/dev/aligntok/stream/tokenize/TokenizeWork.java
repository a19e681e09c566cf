package dev.aligntok.stream.tokenize;

import dev.aligntok.events.FailureStage;
import dev.aligntok.events.LatentDType;
import dev.aligntok.events.ImageEvent;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.image.ImageDecodeException;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageInfo;
import dev.aligntok.schemas.serde.PayloadDecodeException;
import dev.aligntok.stream.batch.BatchTraits;
import dev.aligntok.stream.batch.BatchWork;
import dev.aligntok.stream.batch.Bisection;
import dev.aligntok.stream.batch.InvalidInputException;
import dev.aligntok.stream.batch.MissingValueException;
import dev.aligntok.stream.batch.PayloadReader;
import dev.aligntok.stream.batch.PendingRecord;
import dev.aligntok.stream.batch.QueueEntry;
import dev.aligntok.stream.blob.BlobAccessException;
import dev.aligntok.stream.model.BatchEncodeResult;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.output.Emitter;
import dev.aligntok.stream.output.LatentCodec;
import dev.aligntok.stream.output.OutputEncoder;
import dev.aligntok.stream.output.OversizedOutputException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.aligntok.stream.records.InputRecord;

/**
 * Tokenization: admits an ImageEvent once it is readable, valid and its header is within the image
 * limits (no pixel decoded yet), taking a share of a batch by its pixel count ({@link PixelBudget});
 * at batch time decodes the images one at a time, each straight to the encoder's square input (so
 * a batch never holds more than one image's decoding at full resolution), encodes the whole batch
 * in one model call and emits one LatentEvent per image. Each failure dead-letters only its own image;
 * a model error splits the batch until the images that fail alone are found. An image given by URI is read at admission
 * and again at batch time (the pending store keeps the event, not the image): a file that vanished
 * in between is dead-lettered then.
 */
final class TokenizeWork implements BatchWork {
  private final PayloadReader<ImageEvent> reader;
  private final ImageBytes images;
  private final ImageDecoder decoder;
  private final LatentEncoderPort encoder;
  private final OutputEncoder<LatentEvent> latents;
  private final LatentDType latentDtype;
  private final PixelBudget budget;

  TokenizeWork(PayloadReader<ImageEvent> reader, ImageBytes images, ImageDecoder decoder, LatentEncoderPort encoder,
               OutputEncoder<LatentEvent> latents, LatentDType latentDtype, PixelBudget budget) {
    this.reader = reader;
    this.images = images;
    this.decoder = decoder;
    this.encoder = encoder;
    this.latents = latents;
    this.latentDtype = latentDtype;
    this.budget = budget;
  }

  @Override
  public Optional<Admission> admit(InputRecord input, Emitter out) {
    ImageEvent event;
    try {
      event = reader.read(input);
    } catch (PayloadDecodeException | MissingValueException e) {
      out.deadLetter(input, null, FailureStage.DESERIALIZE, e);
      return Optional.empty();
    }
    Optional<byte[]> image = fetch(input, event, out);
    if (image.isEmpty()) {
      return Optional.empty();
    }
    ImageInfo header;
    try {
      header = decoder.probe(image.get(), event.getId());
    } catch (ImageDecodeException e) {
      out.deadLetter(input, event.getId(), FailureStage.DECODE, e);
      return Optional.empty();
    }
    return Optional.of(new Admission(event.getId(), BatchTraits.fifo(budget.units(header))));
  }

  /** The event's encoded image; empty after dead-lettering an invalid event or an unreadable URI. */
  private Optional<byte[]> fetch(InputRecord input, ImageEvent event, Emitter out) {
    try {
      return Optional.of(images.of(event));
    } catch (InvalidInputException e) {
      out.deadLetter(input, event.getId(), FailureStage.VALIDATE, e);
    } catch (BlobAccessException e) {
      out.deadLetter(input, event.getId(), FailureStage.FETCH, e);
    }
    return Optional.empty();
  }

  @Override
  public boolean retire(QueueEntry entry, Emitter out) {
    return false;
  }

  @Override
  public void run(List<PendingRecord> batch, Emitter out) {
    // No model to size the images for (a bundle closing at shutdown) fails the run, not the images:
    // they stay queued and the run counts as a failed attempt.
    int size = encoder.imageSize();
    List<Decoded> decoded = decodeAll(batch, size, out);
    if (decoded.isEmpty()) {
      return;
    }
    // A model error fails only the images that fail alone (see Bisection).
    new Bisection<Decoded, TimedEncode>("tokenize batch", this::encode,
        (part, timed) -> emitLatents(part, timed, out),
        (item, e) -> out.deadLetter(item.pending().input(), item.event().getId(), FailureStage.MODEL, e))
        .run(decoded);
  }

  private TimedEncode encode(List<Decoded> part) {
    long started = System.nanoTime();
    BatchEncodeResult result = encoder.encode(part.stream().map(Decoded::image).toList());
    if (result.latents().size() != part.size()) {
      throw new IllegalStateException("encoder of bundle " + result.bundleId() + " returned "
          + result.latents().size() + " latents for " + part.size() + " images");
    }
    return new TimedEncode(result, millisSince(started));
  }

  private void emitLatents(List<Decoded> decoded, TimedEncode timed, Emitter out) {
    BatchEncodeResult result = timed.result();
    double encodeMs = timed.millis();
    for (int i = 0; i < decoded.size(); i++) {
      Decoded item = decoded.get(i);
      LatentEvent latent = LatentEvent.newBuilder()
          .setId(item.event().getId())
          .setBundleId(result.bundleId())
          .setLatent(LatentCodec.toWire(result.latents().get(i), latentDtype))
          .setLabel(item.event().getLabel())
          .setMetadata(item.event().getMetadata())
          .setTimingsMs(timings(item, result, encodeMs, decoded.size(), out.nowMs()))
          .setProducedAtMs(Instant.ofEpochMilli(out.nowMs()))
          .build();
      try {
        out.send(latent.getId(), latents.encode(latent, "latent of image " + latent.getId()));
      } catch (OversizedOutputException e) {
        out.deadLetter(item.pending().input(), latent.getId(), FailureStage.ENCODE_OUTPUT, e);
      }
    }
  }

  /**
   * Decodes every image of the batch, one at a time, each reduced to the encoder's square input
   * before the next is read; one that fails is dead-lettered and left out.
   */
  private List<Decoded> decodeAll(List<PendingRecord> batch, int size, Emitter out) {
    List<Decoded> decoded = new ArrayList<>(batch.size());
    for (PendingRecord pending : batch) {
      ImageEvent event;
      try {
        event = reader.read(pending.input());
      } catch (PayloadDecodeException | MissingValueException e) {
        out.deadLetter(pending.input(), pending.entry().recordId(), FailureStage.DESERIALIZE, e);
        continue;
      }
      long started = System.nanoTime();
      Optional<byte[]> bytes = fetch(pending.input(), event, out);
      if (bytes.isEmpty()) {
        continue;
      }
      try {
        DecodedImage image = new DecodedImage(event.getId(), decoder.decodeSquare(bytes.get(), event.getId(), size));
        decoded.add(new Decoded(pending, event, image, millisSince(started)));
      } catch (ImageDecodeException e) {
        out.deadLetter(pending.input(), event.getId(), FailureStage.DECODE, e);
      }
    }
    return decoded;
  }

  private static Map<String, Double> timings(Decoded item, BatchEncodeResult result, double encodeMs, int batchSize,
                                             long nowMs) {
    Map<String, Double> timings = new LinkedHashMap<>(result.timingsMs());
    timings.put("queue", (double) (nowMs - item.pending().entry().enqueuedAtMs()));
    timings.put("decode", item.decodeMs());
    timings.put("encode", encodeMs);
    timings.put("batch", (double) batchSize);
    return timings;
  }

  private static double millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private record Decoded(PendingRecord pending, ImageEvent event, DecodedImage image, double decodeMs) {}

  /** One encode call's result and how long it took. */
  private record TimedEncode(BatchEncodeResult result, double millis) {}
}
