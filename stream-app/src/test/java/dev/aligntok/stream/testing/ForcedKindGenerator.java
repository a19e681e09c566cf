package dev.aligntok.stream.testing;

import dev.aligntok.inference.label.LabelVocabulary;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ImageGeneratorPort;
import dev.aligntok.stream.model.ValidatedGeneration;
import java.util.List;

/**
 * A real generator whose answer to {@code acceptsFreeText} is forced, for the port (admission and the
 * HTTP API) and for its leases (a batch's validation) separately: it tests what validation and
 * admission do with a text bundle before one exists. Generation still runs on the real bundle, whose
 * own kind decides (a class bundle refuses free text), so no generation result of a "text bundle"
 * comes from here.
 */
public final class ForcedKindGenerator implements ImageGeneratorPort {
  private final ImageGeneratorPort real;
  private final boolean portFreeText;
  private final boolean leaseFreeText;

  /**
   * @param portFreeText  what the port says (validation at admission)
   * @param leaseFreeText what its leases say (validation again when a batch runs); differing from
   *                      {@code portFreeText} is a reload to another bundle kind in between
   */
  public ForcedKindGenerator(ImageGeneratorPort real, boolean portFreeText, boolean leaseFreeText) {
    this.real = real;
    this.portFreeText = portFreeText;
    this.leaseFreeText = leaseFreeText;
  }

  @Override
  public String bundleId() {
    return real.bundleId();
  }

  @Override
  public LabelVocabulary labels() {
    return real.labels();
  }

  @Override
  public SamplerSettings defaultSettings() {
    return real.defaultSettings();
  }

  @Override
  public boolean acceptsFreeText() {
    return portFreeText;
  }

  @Override
  public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
    return real.generate(requests);
  }

  @Override
  public Lease lease() {
    Lease inner = real.lease();
    return new Lease() {
      @Override
      public String bundleId() {
        return inner.bundleId();
      }

      @Override
      public LabelVocabulary labels() {
        return inner.labels();
      }

      @Override
      public SamplerSettings defaultSettings() {
        return inner.defaultSettings();
      }

      @Override
      public boolean acceptsFreeText() {
        return leaseFreeText;
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests) {
        return inner.generate(requests);
      }

      @Override
      public GenerationBatchResult generate(List<ValidatedGeneration> requests,
                                            java.util.function.Predicate<String> cancelledNow) {
        return inner.generate(requests, cancelledNow);
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }
}
