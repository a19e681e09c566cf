package dev.aligntok.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.aligntok.trainer.train.AdamW;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecoderTest {
  private static final DecoderConfig TINY = new DecoderConfig(4, List.of(16, 8), 1, true);

  @Test
  void decodesALatentGridToAnImageEnlargedByItsUpsampling() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Decoder decoder = new Decoder(TINY);
      decoder.initialize(manager, DataType.FLOAT32, new Shape(2, 4, 4, 4));
      NDArray z = manager.randomNormal(new Shape(2, 4, 4, 4));
      NDArray image = decoder.forward(new ParameterStore(manager, false), new NDList(z), false).singletonOrThrow();
      assertEquals(new Shape(2, 3, 8, 8), image.getShape());
      assertEquals(DataType.FLOAT32, image.getDataType(), "a Java double in an op promotes to float64");
      assertEquals(new Shape(2, 3, 8, 8), decoder.getOutputShapes(new Shape[] {new Shape(2, 4, 4, 4)})[0]);
    }
  }

  @Test
  void wrongLatentChannelsIsAClearError() {
    try (NDManager manager = NDManager.newBaseManager()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Decoder(TINY).initialize(manager, DataType.FLOAT32, new Shape(1, 5, 4, 4)));
      assertTrue(e.getMessage().contains("expects 4 latent channels"), e.getMessage());
    }
  }

  @Test
  void adapterAndDecoderLearnToReconstructAFixedBatch() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(11);
      Adapter adapter = new Adapter(16, 4);
      Decoder decoder = new Decoder(TINY);
      adapter.initialize(manager, DataType.FLOAT32, new Shape(4, 12, 4, 4));
      decoder.initialize(manager, DataType.FLOAT32, new Shape(4, 4, 4, 4));
      NDArray features = manager.randomNormal(new Shape(4, 12, 4, 4));
      NDArray target = manager.randomUniform(-1, 1, new Shape(4, 3, 8, 8));
      AdamW adam = new AdamW(AdamW.Settings.DEFAULT, manager);
      Map<String, NDArray> parameters = new LinkedHashMap<>();
      for (var block : List.of(adapter, decoder)) {
        block.getParameters().forEach(p -> parameters.put(p.getValue().getId(), p.getValue().getArray()));
      }
      ParameterStore store = new ParameterStore(manager, false);

      float first = 0;
      float last = 0;
      for (int step = 0; step < 40; step++) {
        // Intermediates attach to the manager of their input, so a per-step scope frees them.
        try (NDManager stepScope = manager.newSubManager()) {
          NDArray input = features.duplicate();
          input.attach(stepScope);
          NDArray loss;
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray z = adapter.forward(store, new NDList(input), true).singletonOrThrow();
            NDArray image = decoder.forward(store, new NDList(z), true).singletonOrThrow();
            loss = image.sub(target).abs().mean();
            collector.backward(loss);
          }
          parameters.forEach((name, weight) -> assertTrue(weight.hasGradient(), name + " has no gradient"));
          adam.step(parameters, 3e-3f);
          float value = loss.getFloat();
          if (step == 0) {
            first = value;
          }
          last = value;
        }
      }
      assertTrue(last < 0.7 * first, "L1 went from " + first + " to " + last);
    }
  }
}
