package dev.aligntok.trainer.encoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The architecture with random weights: shapes, gradients, freezing. Needs no downloaded weights. */
class MobileNetV2EncoderShapeTest {

  @Test
  void outputShapeFollowsTheTap() {
    try (NDManager manager = NDManager.newBaseManager()) {
      MobileNetV2Encoder encoder = MobileNetV2Encoder.untrained(MobileNetV2Config.defaults());
      encoder.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 128, 128));
      assertEquals(384, encoder.outputChannels());
      assertEquals(16, encoder.stride());
      NDArray features = forward(encoder, manager.randomUniform(-1, 1, new Shape(2, 3, 128, 128)), false);
      assertEquals(new Shape(2, 384, 8, 8), features.getShape());
      assertEquals(features.getShape(), encoder.getOutputShapes(new Shape[] {new Shape(2, 3, 128, 128)})[0]);

      MobileNetV2Encoder full = MobileNetV2Encoder.untrained(new MobileNetV2Config("out_relu"));
      full.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 72, 100));
      assertEquals(new Shape(1, 1280, 2, 3), forward(full, manager.zeros(new Shape(1, 3, 72, 100)), false).getShape());
    }
  }

  @Test
  void gradientsReachTheFirstConvUnlessFrozen() {
    try (NDManager manager = NDManager.newBaseManager()) {
      MobileNetV2Encoder encoder = MobileNetV2Encoder.untrained(new MobileNetV2Config("block_3_expand_relu"));
      encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
      Parameter first = encoder.convolutions().get("Conv1").getParameters().get("weight");
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray features = forward(encoder, manager.randomUniform(-1, 1, new Shape(1, 3, 32, 32)), true);
        collector.backward(features.mean());
      }
      assertTrue(first.getArray().getGradient().abs().sum().getFloat() > 0, "no gradient reached Conv1");

      encoder.freezeParameters(true);
      assertTrue(encoder.getParameters().values().stream().noneMatch(Parameter::requiresGradient));
    }
  }

  @Test
  void rejectsNonRgbInput() {
    MobileNetV2Encoder encoder = MobileNetV2Encoder.untrained(MobileNetV2Config.defaults());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.getOutputShapes(new Shape[] {new Shape(1, 128, 128, 3)}));
    assertTrue(e.getMessage().contains("NCHW"), e.getMessage());
  }

  @Test
  void unitRangeMapsToMinusOneOne() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray mapped = MobileNetV2Encoder.untrained(MobileNetV2Config.defaults())
          .fromUnitRange(manager.create(new float[] {0f, 0.5f, 1f}));
      assertEquals(-1f, mapped.getFloat(0));
      assertEquals(0f, mapped.getFloat(1));
      assertEquals(1f, mapped.getFloat(2));
    }
  }

  private static NDArray forward(MobileNetV2Encoder encoder, NDArray x, boolean training) {
    return encoder.forward(new ParameterStore(x.getManager(), false), new NDList(x), training).singletonOrThrow();
  }
}
