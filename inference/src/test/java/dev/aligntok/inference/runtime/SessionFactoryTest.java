package dev.aligntok.inference.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aligntok.inference.manifest.BundleManifest.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionFactoryTest {
  @Test
  void tensorRtProfileShapesReplaceOnlyTheBatchAxis() {
    List<TensorSpec> ditInputs = List.of(
        new TensorSpec("latent", TensorSpec.FLOAT32, List.of(-1L, 4L, 16L, 16L)),
        new TensorSpec("t", TensorSpec.FLOAT32, List.of(-1L)),
        new TensorSpec("class", TensorSpec.INT64, List.of(-1L)));
    assertEquals("latent:8x4x16x16,t:8,class:8", SessionFactory.profileShapes(ditInputs, 8));
  }
}
