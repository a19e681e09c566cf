package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.trainer.train.Checkpoints;
import dev.aligntok.trainer.train.TrainingLoop;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowTrainerTest {
  static final DiTConfig TINY = DiTConfig.tiny(2, 4, 2);
  static final LatentProvenance SYNTHETIC = new LatentProvenance("synthetic", "none", "two patterns");

  /** Two classes of 2×4×4 latents: class 0 a positive left half, class 1 a positive bottom half, plus noise. */
  static LatentTrainingData twoPatterns(int count) {
    Random random = new Random(11);
    int size = 2 * 4 * 4;
    float[] latents = new float[count * size];
    float[] flipped = new float[count * size];
    int[] labels = new int[count];
    for (int i = 0; i < count; i++) {
      labels[i] = i % 2;
      for (int c = 0; c < 2; c++) {
        for (int y = 0; y < 4; y++) {
          for (int x = 0; x < 4; x++) {
            boolean on = labels[i] == 0 ? x < 2 : y >= 2;
            float v = (on ? 2f : -1f) * (c == 0 ? 1f : 0.5f) + 0.05f * (float) random.nextGaussian();
            latents[i * size + c * 16 + y * 4 + x] = v;
            flipped[i * size + c * 16 + y * 4 + (3 - x)] = v;
          }
        }
      }
    }
    return new LatentTrainingData(count, 2, 4, 4, latents, flipped, labels, List.of("left", "bottom"), Map.of("left", List.of("west")),
        new float[] {0.5f, 0.25f}, new float[] {1.5f, 0.75f});
  }

  static FlowTrainingConfig config(int steps) {
    return new FlowTrainingConfig(steps, 16, 3e-3f, 5, 1f, 0.9f, 0.1f, 0f, true, 10, 5, 5);
  }

  @Test
  void velocityLossFallsOnATinyModel(@TempDir Path run) throws Exception {
    TrainingLoop.Result result = new FlowTrainer(run, quiet()).train(TINY, config(120), RectifiedFlow.standard(), twoPatterns(64), SYNTHETIC);
    assertEquals(120, result.steps());
    List<Double> losses = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
      JsonNode node = json.readTree(line);
      losses.add(node.get("mse").asDouble());
    }
    double first = (losses.get(0) + losses.get(1) + losses.get(2)) / 3;
    int n = losses.size();
    double last = (losses.get(n - 1) + losses.get(n - 2) + losses.get(n - 3)) / 3;
    assertTrue(last < 0.6 * first, "velocity MSE should fall well below its start: " + losses);
  }

  @Test
  void resumingContinuesBitIdentically(@TempDir Path root) {
    LatentTrainingData data = twoPatterns(40);
    Path straight = root.resolve("straight");
    Path resumed = root.resolve("resumed");
    new FlowTrainer(straight, quiet()).train(TINY, config(20), RectifiedFlow.standard(), data, SYNTHETIC);
    new FlowTrainer(resumed, quiet()).train(TINY, config(10), RectifiedFlow.standard(), data, SYNTHETIC);
    new FlowTrainer(resumed, quiet()).train(TINY, config(20), RectifiedFlow.standard(), data, SYNTHETIC);
    try (NDManager manager = NDManager.newBaseManager()) {
      for (String group : List.of(Checkpoints.MODEL, Checkpoints.EMA)) {
        NDList a = Checkpoints.readTensors(new Checkpoints(straight, 3).latest().orElseThrow(), group, manager);
        NDList b = Checkpoints.readTensors(new Checkpoints(resumed, 3).latest().orElseThrow(), group, manager);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), 0f, group + " " + a.get(i).getName());
        }
      }
    }
  }

  static final DiTConfig TINY_TEXT = TINY.withTextConditioning(24);

  @Test
  void aTextDiTTrainsOnConditionVectorsWithFiniteLoss(@TempDir Path run) throws Exception {
    LatentTrainingData data = twoPatterns(32);
    TrainingLoop.Result result = new FlowTrainer(run, quiet())
        .train(TINY_TEXT, config(12), RectifiedFlow.standard(), data, SYNTHETIC, new RandomConditions(32, 3, 24, 9));
    assertEquals(12, result.steps());
    ObjectMapper json = new ObjectMapper();
    List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
    assertTrue(!lines.isEmpty());
    for (String line : lines) {
      double mse = json.readTree(line).get("mse").asDouble();
      assertTrue(Double.isFinite(mse) && mse > 0, line);
    }
    FlowTrainingState state = Checkpoints.readState(new Checkpoints(run, 3).latest().orElseThrow(), FlowTrainingState.class);
    assertEquals(TINY_TEXT, state.model());
    try (TrainedDiT trained = TrainedDiT.load(run)) {
      assertTrue(trained.config().textConditioned());
      float[] z = new float[2 * trained.latentSize()];
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> trained.velocity(z, new float[] {0.5f, 0.5f}, new int[] {0, 1}, 2, trained.latentSize()));
      assertTrue(e.getMessage().contains("text embeddings of 24"), e.getMessage());
    }
  }

  @Test
  void aTextDiTResumesBitIdentically(@TempDir Path root) {
    LatentTrainingData data = twoPatterns(40);
    RandomConditions conditions = new RandomConditions(40, 4, 24, 13);
    Path straight = root.resolve("straight");
    Path resumed = root.resolve("resumed");
    new FlowTrainer(straight, quiet()).train(TINY_TEXT, config(20), RectifiedFlow.standard(), data, SYNTHETIC, conditions);
    new FlowTrainer(resumed, quiet()).train(TINY_TEXT, config(10), RectifiedFlow.standard(), data, SYNTHETIC, conditions);
    new FlowTrainer(resumed, quiet()).train(TINY_TEXT, config(20), RectifiedFlow.standard(), data, SYNTHETIC, conditions);
    try (NDManager manager = NDManager.newBaseManager()) {
      for (String group : List.of(Checkpoints.MODEL, Checkpoints.EMA)) {
        NDList a = Checkpoints.readTensors(new Checkpoints(straight, 3).latest().orElseThrow(), group, manager);
        NDList b = Checkpoints.readTensors(new Checkpoints(resumed, 3).latest().orElseThrow(), group, manager);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
          assertArrayEquals(a.get(i).toFloatArray(), b.get(i).toFloatArray(), 0f, group + " " + a.get(i).getName());
        }
      }
    }
  }

  @Test
  void conditionsMustMatchTheConditioning(@TempDir Path run) {
    LatentTrainingData data = twoPatterns(8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(run, quiet())
        .train(TINY_TEXT, config(2), RectifiedFlow.standard(), data, SYNTHETIC));
    assertTrue(e.getMessage().contains("needs a condition source"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(run, quiet())
        .train(TINY, config(2), RectifiedFlow.standard(), data, SYNTHETIC, new RandomConditions(8, 1, 24, 1)));
    assertTrue(e.getMessage().contains("trains on the latents' labels"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(run, quiet())
        .train(TINY_TEXT, config(2), RectifiedFlow.standard(), data, SYNTHETIC, new RandomConditions(8, 1, 16, 1)));
    assertTrue(e.getMessage().contains("vectors of 16 floats, the DiT takes 24"), e.getMessage());
    RandomConditions good = new RandomConditions(8, 1, 24, 1);
    ConditionSource broken = new ConditionSource() {
      @Override
      public int width() {
        return good.width();
      }

      @Override
      public float[] nullCondition() {
        return good.nullCondition();
      }

      @Override
      public float[] condition(long step, int image) {
        float[] v = good.condition(step, image);
        v[3] = Float.NaN;
        return v;
      }
    };
    e = assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(run, quiet())
        .train(TINY_TEXT, config(2), RectifiedFlow.standard(), data, SYNTHETIC, broken));
    assertTrue(e.getMessage().contains("not finite at index 3"), e.getMessage());
  }

  @Test
  void mismatchedLatentsAreRejectedBeforeTraining(@TempDir Path run) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FlowTrainer(run, quiet())
        .train(DiTConfig.tiny(4, 4, 2), config(5), RectifiedFlow.standard(), twoPatterns(8), SYNTHETIC));
    assertTrue(e.getMessage().contains("cannot train on 2x4x4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new FlowTrainingConfig(10, 0, 1e-3f, 1, 1f, 0f, 0.1f, 0f, true, 1, 1, 1));
    assertTrue(e.getMessage().contains("batch size"), e.getMessage());
  }

  static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }
}
