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
 * </pre>
 */
public final class ModelContract {
  public static final String IMAGE = "image";
  public static final String LATENT = "latent";
  public static final String TIME = "t";
  public static final String CLASS = "class";
  public static final String VELOCITY = "velocity";
  private static final long BATCH = -1;

  private ModelContract() {}

  /** Expected inputs, then outputs, of a model role. */
  public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {}

  public static Signature of(String role, int imageSize, Latent latent) {
    TensorSpec image = new TensorSpec(IMAGE, TensorSpec.FLOAT32, List.of(BATCH, 3L, (long) imageSize, (long) imageSize));
    List<Long> latentShape = List.of(BATCH, (long) latent.channels(), (long) latent.height(), (long) latent.width());
    TensorSpec latentSpec = new TensorSpec(LATENT, TensorSpec.FLOAT32, latentShape);
    return switch (role) {
      case BundleManifest.ENCODER -> new Signature(List.of(image), List.of(latentSpec));
      case BundleManifest.DECODER -> new Signature(List.of(latentSpec), List.of(image));
      case BundleManifest.DIT -> new Signature(
          List.of(latentSpec, new TensorSpec(TIME, TensorSpec.FLOAT32, List.of(BATCH)),
              new TensorSpec(CLASS, TensorSpec.INT64, List.of(BATCH))),
          List.of(new TensorSpec(VELOCITY, TensorSpec.FLOAT32, latentShape)));
      default -> throw new IllegalArgumentException("unknown model role '" + role + "'");
    };
  }
}
