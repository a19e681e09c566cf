package dev.aligntok.stream.testing;

import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.export.bundle.TinyModels;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.stream.runtime.BundleModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Real model bundles for the topology tests: model-export's tiny analytic models (8×8 images,
 * 2×2×2 latents, classes cat/dog/owl) written to disk and served through {@link BundleModels} on
 * ONNX Runtime's CPU provider, so every latent can be checked against a pure-Java formula.
 */
public final class TinyBundles {
  /** One thread each: the tests' batches are tiny and the build machine has two cores. */
  public static final RuntimeOptions CPU =
      RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1);

  private TinyBundles() {}

  /** A bundle with encoder, decoder and DiT at {@code dir}; another {@code name} gives another id. */
  public static Path write(Path dir, String name) {
    try {
      TestBundles.writeGenerator(dir, name);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static BundleModels load(Path dir) {
    return BundleModels.load(dir, CPU);
  }

  /** Writes and loads in one go. */
  public static BundleModels serve(Path dir, String name) {
    return load(write(dir, name));
  }

  /**
   * The latent of a one-colour image of any size: after resizing it is still that colour, so the
   * encoder's input is known without running the runtime's preprocessing.
   */
  public static float[] latentOfSolid(int r, int g, int b) {
    int plane = TinyModels.SIZE * TinyModels.SIZE;
    float[] chw = new float[3 * plane];
    Arrays.fill(chw, 0, plane, r / 255f);
    Arrays.fill(chw, plane, 2 * plane, g / 255f);
    Arrays.fill(chw, 2 * plane, 3 * plane, b / 255f);
    return TinyModels.encode(chw, 1);
  }
}
