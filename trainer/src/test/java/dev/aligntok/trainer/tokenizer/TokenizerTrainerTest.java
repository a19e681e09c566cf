package dev.aligntok.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.trainer.data.InMemoryImage;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import dev.aligntok.trainer.train.Checkpoints;
import dev.aligntok.trainer.train.TrainingLoop;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three AlignTok stages end to end at CI size (16 px images, MobileNetV2 at 32 px, 2×2 tokens):
 * loss falls in every stage, frozen parameters stay bit-identical, L_sp starts at zero and the
 * encoder moves in stage 2, and an interrupted stage resumes to exactly the same weights.
 */
class TokenizerTrainerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenizerConfig TINY = new TokenizerConfig(16, 2, "mobilenet_v2", "block_10_expand_relu", true, 16,
      new DecoderConfig(4, List.of(16, 16, 8, 8), 1, false));
  /** Stage 3 switches the GAN on here; reconstruction must have improved before that. */
  private static final int GAN_START = 8;
  private static Path nsfwjs;
  private static List<Sample> samples;

  @BeforeAll
  static void setUp() {
    nsfwjs = NsfwjsPackage.locateOrSkip();
    samples = syntheticShapes(8);
  }

  private static StageConfig stage(TokenizerStage stage, int steps) {
    boolean gan = stage == TokenizerStage.STAGE3;
    return new StageConfig(steps, 8, 3e-3f, 0, 0.5f, 1.0f, gan ? GAN_START : Integer.MAX_VALUE, 1.0f, 3,
        stage == TokenizerStage.STAGE2 ? 0.5f : 0f, 1.0f, 6, 1, 3);
  }

  @Test
  void threeStagesTrainWhatTheyShouldAndNothingElse(@TempDir Path run) throws Exception {
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    TokenizerTrainer trainer = new TokenizerTrainer(run, nsfwjs, quiet);
    trainer.train(TokenizerStage.STAGE1, TINY, stage(TokenizerStage.STAGE1, 12), samples);
    trainer.train(TokenizerStage.STAGE2, TINY, stage(TokenizerStage.STAGE2, 12), samples);
    trainer.train(TokenizerStage.STAGE3, TINY, stage(TokenizerStage.STAGE3, 12), samples);

    for (TokenizerStage s : List.of(TokenizerStage.STAGE1, TokenizerStage.STAGE2, TokenizerStage.STAGE3)) {
      List<JsonNode> lines = metrics(run.resolve(s.directoryName()));
      assertEquals(12, lines.size(), s + " logs every step");
      double early = lines.subList(0, 3).stream().mapToDouble(n -> n.get("l1").asDouble()).average().orElseThrow();
      int end = s == TokenizerStage.STAGE3 ? GAN_START : 12;
      double late = lines.subList(end - 3, end).stream().mapToDouble(n -> n.get("l1").asDouble()).average().orElseThrow();
      assertTrue(late < early, s + ": L1 did not fall (" + early + " → " + late + ")");
    }
    assertEquals(0.0, metrics(run.resolve("stage2")).get(0).get("semantic").asDouble(), 0.0,
        "L_sp is zero before the first stage-2 update: the anchor is the stage-1 model itself");
    assertTrue(metrics(run.resolve("stage3")).get(11).has("adversarial"), "the GAN is on in stage 3");

    try (NDManager manager = NDManager.newBaseManager()) {
      NDList pretrained = Checkpoints.named(Tokenizer.create(TINY, nsfwjs, manager).parameters().arrays());
      NDList stage1 = weights(trainer, TokenizerStage.STAGE1, Checkpoints.MODEL, manager);
      NDList stage2 = weights(trainer, TokenizerStage.STAGE2, Checkpoints.EMA, manager);
      NDList stage3 = weights(trainer, TokenizerStage.STAGE3, Checkpoints.MODEL, manager);
      assertSame(pretrained, stage1, "encoder/", true, "stage 1 keeps the encoder frozen");
      assertSame(stage1, stage2, "encoder/", false, "stage 2 trains the encoder (gradients reach E)");
      assertSame(stage2, stage3, "encoder/", true, "stage 3 keeps the encoder frozen");
      assertSame(stage2, stage3, "adapter/", true, "stage 3 keeps the adapter frozen");
      assertSame(stage2, stage3, "decoder/", false, "stage 3 trains the decoder");
    }
  }

  @Test
  void anInterruptedStageResumesToTheSameWeights(@TempDir Path straight, @TempDir Path interrupted) throws Exception {
    PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
    new TokenizerTrainer(straight, nsfwjs, quiet).train(TokenizerStage.STAGE1, TINY, stage(TokenizerStage.STAGE1, 8), samples);
    TokenizerTrainer resumed = new TokenizerTrainer(interrupted, nsfwjs, quiet);
    StageConfig eight = stage(TokenizerStage.STAGE1, 8);
    StageConfig five = new StageConfig(5, 8, eight.learningRate(), 0, 0.5f, 1f, Integer.MAX_VALUE, 1f, 3, 0f, 1f, 5, 1, 3);
    resumed.train(TokenizerStage.STAGE1, TINY, five, samples);
    TrainingLoop.Result result = resumed.train(TokenizerStage.STAGE1, TINY, eight, samples);
    assertEquals(8, result.steps());
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList a = weights(new TokenizerTrainer(straight, nsfwjs, quiet), TokenizerStage.STAGE1, Checkpoints.MODEL, manager);
      NDList b = weights(resumed, TokenizerStage.STAGE1, Checkpoints.MODEL, manager);
      assertSame(a, b, "", true, "resumed training matches uninterrupted training");
    }
  }

  private static NDList weights(TokenizerTrainer trainer, TokenizerStage stage, String group, NDManager manager) {
    return Checkpoints.readTensors(trainer.latestOf(stage), group, manager);
  }

  private static void assertSame(NDList a, NDList b, String prefix, boolean expectSame, String message) {
    boolean allSame = true;
    int compared = 0;
    for (NDArray x : a) {
      if (!x.getName().startsWith(prefix)) {
        continue;
      }
      NDArray y = b.get(x.getName());
      if (y == null) {
        continue; // EMA holds only the parameters trained in stage 2
      }
      compared++;
      allSame &= java.util.Arrays.equals(x.toFloatArray(), y.toFloatArray());
    }
    assertTrue(compared > 0, "no parameters named " + prefix + "* to compare");
    assertEquals(expectSame, allSame, message);
  }

  private static List<JsonNode> metrics(Path stageDir) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(stageDir.resolve("metrics.jsonl"))) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  /** Coloured discs and squares on white: enough structure for losses to fall within a few steps. */
  static List<Sample> syntheticShapes(int count) {
    List<Sample> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = image.createGraphics();
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, 16, 16);
      g.setColor(Color.getHSBColor(i / (float) count, 0.8f, 0.9f));
      if (i % 2 == 0) {
        g.fillOval(2 + i % 3, 3, 10, 10);
      } else {
        g.fillRect(3, 2 + i % 3, 9, 9);
      }
      g.dispose();
      list.add(new Sample("shape-" + i, null, i % 2, i % 2 == 0 ? "disc" : "square", List.of(), InMemoryImage.of(image)));
    }
    return list;
  }

}
