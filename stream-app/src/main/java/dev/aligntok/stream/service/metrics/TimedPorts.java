package dev.aligntok.stream.service.metrics;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.generate.GenerateTopology;
import dev.aligntok.stream.model.BatchEncodeResult;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.GenerationRun;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.LatentEncoderPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.tokenize.TokenizeTopology;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Wraps the model ports so every model call is timed ({@code aligntok.inference.time}). */
@Singleton
public final class TimedPorts {
  private final PipelineMetrics metrics;

  public TimedPorts(PipelineMetrics metrics) {
    this.metrics = metrics;
  }

  public LatentEncoderPort timed(LatentEncoderPort encoder) {
    return new LatentEncoderPort() {
      @Override
      public String bundleId() {
        return encoder.bundleId();
      }

      @Override
      public int imageSize() {
        return encoder.imageSize();
      }

      @Override
      public BatchEncodeResult encode(List<DecodedImage> images) {
        return timedCall(TokenizeTopology.NAME, () -> encoder.encode(images));
      }
    };
  }

  public ImageGeneratorPort timed(ImageGeneratorPort generator) {
    return new ImageGeneratorPort() {
      @Override
      public String bundleId() {
        return generator.bundleId();
      }

      @Override
      public LabelVocabulary labels() {
        return generator.labels();
      }

      @Override
      public SamplerSettings defaultSettings() {
        return generator.defaultSettings();
      }

      @Override
      public boolean acceptsFreeText() {
        return generator.acceptsFreeText();
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
        return timedCall(GenerateTopology.NAME, () -> generator.generate(requests));
      }

      @Override
      public Lease lease() {
        Lease inner = generator.lease();
        return Lease.wrapping(inner,
            (requests, cancelledNow) -> timedCall(GenerateTopology.NAME, () -> inner.generate(requests, cancelledNow)),
            (requests, cancelledNow) -> timed(inner.start(requests, cancelledNow)));
      }
    };
  }

  /** A run timed as one model call: the time of its advances and its finish, recorded once when it closes. */
  private GenerationRun timed(GenerationRun run) {
    return new GenerationRun() {
      private long nanos;
      private boolean recorded;

      @Override
      public void advance(BooleanSupplier enough) {
        long started = System.nanoTime();
        try {
          run.advance(enough);
        } finally {
          nanos += System.nanoTime() - started;
        }
      }

      @Override
      public boolean sampled() {
        return run.sampled();
      }

      @Override
      public float progress() {
        return run.progress();
      }

      @Override
      public GenerationBatchResult finish() {
        long started = System.nanoTime();
        try {
          return run.finish();
        } finally {
          nanos += System.nanoTime() - started;
        }
      }

      @Override
      public void close() {
        if (!recorded && nanos > 0) {
          recorded = true;
          metrics.inference(GenerateTopology.NAME, nanos);
        }
        run.close();
      }
    };
  }

  /** Runs one model call and records its duration under the pipeline's inference timer, failed calls too. */
  private <T> T timedCall(String pipeline, Supplier<T> call) {
    long started = System.nanoTime();
    try {
      return call.get();
    } finally {
      metrics.inference(pipeline, System.nanoTime() - started);
    }
  }
}
