package dev.aligntok.trainer.encoders;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The core of the {@code features} command: runs a foundation encoder on one image and writes
 * its feature map as raw little-endian float32 plus a JSON header (see {@link Float32Files}), for
 * debugging and for checking loaders against other implementations.
 */
public final class FeatureDump {
  private final FoundationEncoder encoder;
  private final NDManager manager;

  /** @param manager where the per-image arrays are made; each run closes its own sub-manager */
  public FeatureDump(FoundationEncoder encoder, NDManager manager) {
    this.encoder = encoder;
    this.manager = manager;
  }

  /**
   * @param image any file javax.imageio reads; alpha is composited onto white
   * @param inputSize the image is centre-cropped and resized to {@code inputSize}² before encoding
   * @param output base path: writes {@code <output>.f32} and {@code <output>.json}
   */
  public record Request(Path image, int inputSize, Path output) {
    public Request {
      if (inputSize < 1) {
        throw new IllegalArgumentException("input size must be positive, got " + inputSize);
      }
    }
  }

  /** The files written and the feature shape (N, C, H, W). */
  public record Result(Float32Files.Paths files, long[] shape) {}

  public Result run(Request request) throws IOException {
    int size = request.inputSize();
    if (size < encoder.stride()) {
      throw new IllegalArgumentException("input size " + size + " is below the stride " + encoder.stride() + " of " + encoder.name());
    }
    float[] chw = ImageFileInput.readSquareChw(request.image(), size);
    try (NDManager scope = manager.newSubManager()) {
      NDArray image = scope.create(chw, new Shape(1, 3, size, size));
      NDArray features = encoder.forward(new ParameterStore(scope, false), new NDList(encoder.fromUnitRange(image)), false)
          .singletonOrThrow();
      long[] shape = features.getShape().getShape();
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("encoder", encoder.name());
      metadata.put("outputChannels", encoder.outputChannels());
      metadata.put("stride", encoder.stride());
      metadata.put("image", request.image().toAbsolutePath().toString());
      metadata.put("inputSize", size);
      metadata.put("preprocessing", "alpha onto white, centre square crop, bilinear resize to " + size
          + ", RGB in [0, 1], then the encoder's fromUnitRange");
      Float32Files.Paths files = Float32Files.write(request.output(), shape, "NCHW", features.toFloatArray(), metadata);
      return new Result(files, shape);
    }
  }
}
