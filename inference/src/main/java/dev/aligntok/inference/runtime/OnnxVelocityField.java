package dev.aligntok.inference.runtime;

import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.manifest.ModelContract;
import dev.aligntok.inference.sampling.VelocityField;
import java.util.concurrent.atomic.AtomicLong;

/** The DiT session as the sampler's {@link VelocityField}: one session run per call, counted. */
final class OnnxVelocityField implements VelocityField {
  private final OnnxModel dit;
  private final Latent latent;
  private final AtomicLong calls = new AtomicLong();

  OnnxVelocityField(OnnxModel dit, Latent latent) {
    this.dit = dit;
    this.latent = latent;
  }

  @Override
  public float[] velocity(float[] latents, float[] t, int[] classes, int n, int dim) {
    long[] classIds = new long[n];
    for (int i = 0; i < n; i++) {
      classIds[i] = classes[i];
    }
    calls.incrementAndGet();
    return dit.run(ModelContract.VELOCITY,
        Feed.floats(ModelContract.LATENT, latents, n, latent.channels(), latent.height(), latent.width()),
        Feed.floats(ModelContract.TIME, t, n),
        Feed.longs(ModelContract.CLASS, classIds, n));
  }

  long calls() {
    return calls.get();
  }
}
