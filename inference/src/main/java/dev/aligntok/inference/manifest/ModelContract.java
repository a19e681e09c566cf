package dev.aligntok.inference.manifest;

import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import java.util.List;

/**
 * The tensor names, dtypes and shapes the runtime relies on, per model role, derived from the
 * manifest's preprocessing (image side S) and latent (C, h, w) sections:
 * <pre>
 *   encoder: image float32 [b,3,S,S] in [0,1]            → latent float32 [b,C,h,w] (raw)
 *   decoder: latent float32 [b,C,h,w] (raw)              → image float32 [b,3,S,S] in [-1,1]
 *   dit:     latent float32 [b,C,h,w] (normalised), t float32 [b], class int64 [b] → velocity float32 [b,C,h,w]
 *   text dit: as dit with text_embedding float32 [b,D] (a sentence embedding) in place of class
 * </pre>
 * A DiT says which conditioning it has by its inputs ({@link Conditioning#declaredBy}).
 */
public final class ModelContract {
  public static final String IMAGE = "image";
  public static final String LATENT = "latent";
  public static final String TIME = "t";
  public static final String CLASS = "class";
  public static final String TEXT_EMBEDDING = "text_embedding";
  public static final String VELOCITY = "velocity";
  private static final long BATCH = -1;

  private ModelContract() {}

  /** Expected inputs, then outputs, of a model role. */
  public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {}

  /**
   * What conditions a DiT besides the timestep: a class id ({@link #CLASS}), or a text embedding of
   * {@code textDim} floats ({@link #TEXT_EMBEDDING}).
   *
   * @param textDim 0 for class conditioning
   */
  public record Conditioning(int textDim) {
    public static final Conditioning CLASS_ID = new Conditioning(0);

    public Conditioning {
      if (textDim < 0) {
        throw new IllegalArgumentException("text embedding width must be >= 0, got " + textDim);
      }
    }

    public static Conditioning text(int textDim) {
      if (textDim <= 0) {
        throw new IllegalArgumentException("text embedding width must be > 0, got " + textDim);
      }
      return new Conditioning(textDim);
    }

    /** Whether the DiT takes {@value ModelContract#TEXT_EMBEDDING} rather than {@value ModelContract#CLASS}. */
    public boolean textConditioned() {
      return textDim > 0;
    }

    /** The conditioning input's spec. */
    public TensorSpec input() {
      return textConditioned()
          ? new TensorSpec(TEXT_EMBEDDING, TensorSpec.FLOAT32, List.of(BATCH, (long) textDim))
          : new TensorSpec(CLASS, TensorSpec.INT64, List.of(BATCH));
    }

    /**
     * The conditioning a DiT's inputs declare: text when one is named {@value ModelContract#TEXT_EMBEDDING}
     * (its width from its last axis), else class.
     *
     * @throws IllegalArgumentException if the text embedding's shape is not [batch, D] with 0 < D < 2³¹
     */
    public static Conditioning declaredBy(List<TensorSpec> inputs) {
      if (inputs != null) {
        for (TensorSpec input : inputs) {
          if (input != null && TEXT_EMBEDDING.equals(input.name())) {
            List<Long> shape = input.shape();
            Long width = shape == null || shape.size() != 2 ? null : shape.get(1);
            if (width == null || width <= 0 || width > Integer.MAX_VALUE) {
              throw new IllegalArgumentException("input " + TEXT_EMBEDDING + " must have shape [batch, D] with D > 0, got "
                  + (shape == null || shape.size() > 4 ? (shape == null ? "none" : shape.size() + " axes") : shape));
            }
            return text(width.intValue());
          }
        }
      }
      return CLASS_ID;
    }
  }

  /** Expected inputs, then outputs, of a model role; a DiT is class-conditioned. */
  public static Signature of(String role, int imageSize, Latent latent) {
    return of(role, imageSize, latent, Conditioning.CLASS_ID);
  }

  /** Expected inputs, then outputs, of a model role; {@code conditioning} applies to the DiT only. */
  public static Signature of(String role, int imageSize, Latent latent, Conditioning conditioning) {
    TensorSpec image = new TensorSpec(IMAGE, TensorSpec.FLOAT32, List.of(BATCH, 3L, (long) imageSize, (long) imageSize));
    List<Long> latentShape = List.of(BATCH, (long) latent.channels(), (long) latent.height(), (long) latent.width());
    TensorSpec latentSpec = new TensorSpec(LATENT, TensorSpec.FLOAT32, latentShape);
    return switch (role) {
      case BundleManifest.ENCODER -> new Signature(List.of(image), List.of(latentSpec));
      case BundleManifest.DECODER -> new Signature(List.of(latentSpec), List.of(image));
      case BundleManifest.DIT -> new Signature(
          List.of(latentSpec, new TensorSpec(TIME, TensorSpec.FLOAT32, List.of(BATCH)),
              conditioning.input()),
          List.of(new TensorSpec(VELOCITY, TensorSpec.FLOAT32, latentShape)));
      default -> throw new IllegalArgumentException("unknown model role '" + role + "'");
    };
  }
}
