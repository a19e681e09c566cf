package dev.aligntok.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.aligntok.trainer.tokenizer.Adapter;
import dev.aligntok.trainer.tokenizer.Decoder;
import dev.aligntok.trainer.tokenizer.DecoderConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
  record State(long step, String stage) {}

  @Test
  void weightsAndOptimizerStateRoundTripBitForBit(@TempDir Path run) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NamedParameters params = tinyModel(manager);
      Map<String, NDArray> before = snapshot(params.arrays());
      try (AdamW adam = new AdamW(AdamW.Settings.DEFAULT, manager)) {
        fakeStep(params, adam);
        Checkpoints checkpoints = new Checkpoints(run, 2);
        Path saved = checkpoints.save(1, Map.of("model", Checkpoints.named(params.arrays()), "optimizer", adam.state()),
            new State(1, "stage1"));
        Map<String, NDArray> afterStep = snapshot(params.arrays());

        // Clobber the live weights, then restore.
        params.arrays().values().forEach(a -> a.set(new float[(int) a.size()]));
        Path latest = checkpoints.latest().orElseThrow();
        assertEquals(saved, latest);
        Checkpoints.restoreInto(Checkpoints.readTensors(latest, "model", manager), params.arrays(), latest);
        afterStep.forEach((name, expected) ->
            assertArrayEquals(expected.toFloatArray(), params.arrays().get(name).toFloatArray(), name));
        assertFalse(before.values().iterator().next().contentEquals(afterStep.values().iterator().next()),
            "the fake step changed the weights");

        NDList moments = Checkpoints.readTensors(latest, "optimizer", manager);
        assertEquals(2 * params.trainable().size(), moments.size());
        assertEquals(new State(1, "stage1"), Checkpoints.readState(latest, State.class));
      }
    }
  }

  @Test
  void anInterruptedWriteNeverLooksCompleteAndOldOnesArePruned(@TempDir Path run) throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NamedParameters params = tinyModel(manager);
      Checkpoints checkpoints = new Checkpoints(run, 2);
      for (long step = 1; step <= 3; step++) {
        checkpoints.save(step, Map.of("model", Checkpoints.named(params.arrays())), new State(step, "s"));
      }
      Files.createDirectories(run.resolve("checkpoints/.tmp-step-00000004"));
      Files.createDirectories(run.resolve("checkpoints/step-00000005"));  // no state.json: incomplete
      assertEquals("step-00000003", checkpoints.latest().orElseThrow().getFileName().toString());
      assertFalse(Files.exists(run.resolve("checkpoints/step-00000001")), "oldest pruned");
      assertTrue(Files.exists(run.resolve("checkpoints/step-00000002")));
    }
  }

  @Test
  void restoringIntoADifferentArchitectureNamesTheParameter(@TempDir Path run) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NamedParameters params = tinyModel(manager);
      Checkpoints checkpoints = new Checkpoints(run, 1);
      Path saved = checkpoints.save(1, Map.of("model", Checkpoints.named(params.arrays())), new State(1, "s"));
      Adapter wider = new Adapter(32, 4);
      wider.initialize(manager, DataType.FLOAT32, new Shape(1, 12, 4, 4));
      NamedParameters other = NamedParameters.of(Map.of("adapter", wider));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Checkpoints.restoreInto(Checkpoints.readTensors(saved, "model", manager), other.arrays(), saved));
      assertTrue(e.getMessage().contains("adapter/") && e.getMessage().contains("shape"), e.getMessage());
    }
  }

  private static NamedParameters tinyModel(NDManager manager) {
    Adapter adapter = new Adapter(16, 4);
    Decoder decoder = new Decoder(new DecoderConfig(4, List.of(8, 8), 1, false));
    adapter.initialize(manager, DataType.FLOAT32, new Shape(1, 12, 4, 4));
    decoder.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 4, 4));
    Map<String, Block> networks = new LinkedHashMap<>();
    networks.put("adapter", adapter);
    networks.put("decoder", decoder);
    return NamedParameters.of(networks);
  }

  private static void fakeStep(NamedParameters params, AdamW adam) {
    try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
      NDArray loss = null;
      for (NDArray weight : params.trainable().values()) {
        NDArray term = weight.square().sum();
        loss = loss == null ? term : loss.add(term);
      }
      collector.backward(loss);
    }
    adam.step(params.trainable(), 0.01f);
  }

  private static Map<String, NDArray> snapshot(Map<String, NDArray> arrays) {
    Map<String, NDArray> copy = new LinkedHashMap<>();
    arrays.forEach((name, array) -> copy.put(name, array.duplicate()));
    return copy;
  }
}
