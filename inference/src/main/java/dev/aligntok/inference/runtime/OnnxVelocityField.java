package dev.aligntok.inference.runtime;

import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.inference.sampling.ConditionTable;
import dev.aligntok.inference.sampling.VelocityField;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DiT session as the sampler's model, one session run per call, counted: a class DiT as a
 * {@link VelocityField} (feeds {@value ModelContract#CLASS}), a text DiT as a
 * {@link ConditionTable.VectorField} (feeds {@value ModelContract#TEXT_EMBEDDING}).
 */
final class OnnxVelocityField implements VelocityField, ConditionTable.VectorField {
  private final OnnxModel dit;
  private final Latent latent;
  private final ModelContract.Conditioning conditioning;
  private final AtomicLong calls = new AtomicLong();

  OnnxVelocityField(OnnxModel dit, Latent latent, ModelContract.Conditioning conditioning) {
    this.dit = dit;
    this.latent = latent;
    this.conditioning = conditioning;
  }

  @Override
  public float[] velocity(float[] latents, float[] t, int[] classes, int n, int dim) {
    if (conditioning.textConditioned()) {
      throw new IllegalStateException(dit.file() + " takes text embeddings, not class ids");
    }
    long[] classIds = new long[n];
    for (int i = 0; i < n; i++) {
      classIds[i] = classes[i];
    }
    return run(latents, t, Feed.longs(ModelContract.CLASS, classIds, n), n);
  }

  @Override
  public float[] velocity(float[] latents, float[] t, float[] conditions, int n, int dim) {
    if (!conditioning.textConditioned()) {
      throw new IllegalStateException(dit.file() + " takes class ids, not text embeddings");
    }
    return run(latents, t, Feed.floats(ModelContract.TEXT_EMBEDDING, conditions, n, conditioning.textDim()), n);
  }

  private float[] run(float[] latents, float[] t, Feed condition, int n) {
    calls.incrementAndGet();
    return dit.run(ModelContract.VELOCITY,
        Feed.floats(ModelContract.LATENT, latents, n, latent.channels(), latent.height(), latent.width()),
        Feed.floats(ModelContract.TIME, t, n),
        condition);
  }

  long calls() {
    return calls.get();
  }
}
