package dev.aligntok.trainer.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.diffusion.LatentTrainingData;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.trainer.latents.ExtractionInput;
import dev.aligntok.trainer.latents.ExtractionOptions;
import dev.aligntok.trainer.latents.LatentExtractor;
import dev.aligntok.trainer.latents.LatentSet;
import dev.aligntok.trainer.train.Checkpoints;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fair vanilla tokenizer at CI size (16 px, CNN encoder 8-8-16-16 to a 2×2 grid, the perceptual
 * network at 32 px as the tiny AlignTok's): trains, keeps an EMA, switches the GAN on for its last
 * quarter, resumes bit-identically with a Gaussian latent; C = 32 goes through training, loading and
 * latent extraction; stage 2's encoder learning rate is its own; the frozen-output cache leaves the
 * losses of stages 1–3 unchanged.
 */
class VanillaTokenizerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final TokenizerConfig ALIGNTOK = new TokenizerConfig(16, 2, "mobilenet_v2", "block_10_expand_relu", true, 16,
      new DecoderConfig(4, List.of(16, 16, 8, 8), 1, false));
  private static Path nsfwjs;
  private static List<Sample> samples;

  @BeforeAll
  static void setUp() {
    nsfwjs = NsfwjsPackage.locateOrSkip();
    samples = TokenizerTrainerTest.syntheticShapes(8);
  }

  static TokenizerConfig vanilla(int channels, boolean gaussian) {
    DecoderConfig decoder = new DecoderConfig(channels, List.of(16, 16, 8, 8), 1, false);
    return new TokenizerConfig(16, 1, TokenizerConfig.LDM_CNN, "", false, 16, decoder, CnnEncoderConfig.mirroring(decoder),
        gaussian, 2);
  }

  /**
   * The vanilla defaults of {@code steps} steps, at CI batch size and checkpoint cadence, with an EMA
   * (too short a run for the default rule) and without the perceptual loss unless asked (its
   * network is what makes a CI run slow).
   */
  private static StageConfig vanillaStage(int steps, int checkpointEvery, float klWeight, boolean perceptual) {
    StageConfig d = StageConfig.defaults(TokenizerStage.VANILLA, steps);
    return new StageConfig(d.steps(), 8, 3e-3f, 0, perceptual ? d.perceptualWeight() : 0f, d.semanticWeight(), d.ganStartStep(), d.ganMaxWeight(),
        3, Math.max(0.5f, d.emaDecay()), d.gradientClip(), checkpointEvery, 1, 3, 0f, klWeight);
  }

  @Test
  void vanillaDefaultsMatchTheFullMethodsBudget() {
    StageConfig vanilla = StageConfig.defaults(TokenizerStage.VANILLA, 2000);
    StageConfig stage2 = StageConfig.defaults(TokenizerStage.STAGE2, 500);
    StageConfig stage3 = StageConfig.defaults(TokenizerStage.STAGE3, 500);
    int fullMethodGanSteps = (500 - stage2.ganStartStep()) + (500 - stage3.ganStartStep());
    assertEquals(fullMethodGanSteps, 2000 - vanilla.ganStartStep(), "as many GAN steps as stages 2 and 3 together");
    assertEquals(0.995f, vanilla.emaDecay(), 1e-6f, "EMA with stage 2's rule: a time constant of a tenth of the run");
    assertEquals(0f, StageConfig.defaults(TokenizerStage.BASELINE, 2000).emaDecay(), "the old baseline is unchanged");
    assertEquals(1000, StageConfig.defaults(TokenizerStage.BASELINE, 2000).ganStartStep(), "the old baseline is unchanged");
    assertEquals(TokenizerStage.VANILLA, TokenizerStage.parse("vanilla"));
    assertEquals(TokenizerStage.BASELINE, TokenizerStage.parse("baseline"));
  }

  @Test
  void vanillaTrainsEverythingKeepsAnEmaAndEndsWithTheGan(@TempDir Path run) throws Exception {
    TokenizerTrainer trainer = new TokenizerTrainer(run, nsfwjs, QUIET);
    StageConfig config = vanillaStage(8, 8, 0f, true);
    assertEquals(6, config.ganStartStep());
    trainer.train(TokenizerStage.VANILLA, vanilla(4, false), config, samples);

    List<JsonNode> lines = metrics(run.resolve("vanilla"));
    assertEquals(8, lines.size());
    double early = lines.subList(0, 2).stream().mapToDouble(n -> n.get("l1").asDouble()).average().orElseThrow();
    double late = lines.subList(4, 6).stream().mapToDouble(n -> n.get("l1").asDouble()).average().orElseThrow();
    assertTrue(late < early, "L1 did not fall (" + early + " → " + late + ")");
    assertFalse(lines.get(5).has("adversarial"), "no GAN before the last quarter");
    assertTrue(lines.get(6).has("adversarial") && lines.get(7).has("adversarial"), "the GAN is on in the last quarter");

    Path checkpoint = trainer.latestOf(TokenizerStage.VANILLA);
    assertEquals(Checkpoints.EMA, Checkpoints.weightsGroup(checkpoint), "evaluated on EMA weights like the AlignTok stages");
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList model = Checkpoints.readTensors(checkpoint, Checkpoints.MODEL, manager);
      NDList ema = Checkpoints.readTensors(checkpoint, Checkpoints.EMA, manager);
      assertTrue(model.stream().anyMatch(a -> a.getName().startsWith("encoder/")), "the CNN encoder is in the checkpoint");
      assertTrue(ema.stream().anyMatch(a -> a.getName().startsWith("encoder/")), "the CNN encoder is averaged too");
      assertFalse(sameValues(model, ema, "decoder/"), "the EMA differs from the last weights");
    }
    try (TrainedTokenizer loaded = TrainedTokenizer.load("vanilla", checkpoint, nsfwjs)) {
      LatentBatch latents = loaded.encode(images(loaded, 3));
      assertEquals(4, latents.channels());
      assertEquals(2, latents.height());
    }
  }

  @Test
  void aGaussianVanillaRunResumesToTheSameWeights(@TempDir Path straight, @TempDir Path interrupted) throws Exception {
    TokenizerConfig gaussian = vanilla(4, true);
    new TokenizerTrainer(straight, nsfwjs, QUIET).train(TokenizerStage.VANILLA, gaussian, vanillaStage(8, 4, 0.01f, false), samples);
    TokenizerTrainer resumed = new TokenizerTrainer(interrupted, nsfwjs, QUIET);
    StageConfig eight = vanillaStage(8, 4, 0.01f, false);
    StageConfig five = new StageConfig(5, 8, eight.learningRate(), 0, eight.perceptualWeight(), 1f, eight.ganStartStep(),
        eight.ganMaxWeight(), 3, eight.emaDecay(), eight.gradientClip(), 5, 1, 3, 0f, 0.01f);
    resumed.train(TokenizerStage.VANILLA, gaussian, five, samples);
    assertEquals(8, resumed.train(TokenizerStage.VANILLA, gaussian, eight, samples).steps());
    assertTrue(metrics(straight.resolve("vanilla")).get(7).has("kl"), "the KL term is logged");
    assertTrue(metrics(straight.resolve("vanilla")).get(7).has("adversarial"), "the resumed part crosses the GAN start");
    try (NDManager manager = NDManager.newBaseManager()) {
      for (String group : List.of(Checkpoints.MODEL, Checkpoints.EMA)) {
        NDList a = Checkpoints.readTensors(new TokenizerTrainer(straight, nsfwjs, QUIET).latestOf(TokenizerStage.VANILLA), group, manager);
        NDList b = Checkpoints.readTensors(resumed.latestOf(TokenizerStage.VANILLA), group, manager);
        assertTrue(sameValues(a, b, ""), group + ": resumed training matches uninterrupted training");
      }
    }
    TokenizerTrainingState state = Checkpoints.readState(resumed.latestOf(TokenizerStage.VANILLA), TokenizerTrainingState.class);
    assertTrue(state.tokenizer().gaussianLatent());
    assertEquals(0.01f, state.config().klWeight(), "the KL weight is recorded in the run's config");
  }

  @Test
  void thirtyTwoLatentChannelsGoThroughTrainingLoadingAndExtraction(@TempDir Path run, @TempDir Path latents) throws Exception {
    TokenizerTrainer trainer = new TokenizerTrainer(run, nsfwjs, QUIET);
    trainer.train(TokenizerStage.VANILLA, vanilla(32, false), vanillaStage(2, 2, 0f, false), samples);
    TokenizerConfig alignTok32 = new TokenizerConfig(16, 2, "mobilenet_v2", "block_10_expand_relu", true, 16,
        new DecoderConfig(32, List.of(16, 16, 8, 8), 1, false));
    trainer.train(TokenizerStage.STAGE1, alignTok32, new StageConfig(2, 8, 3e-3f, 0, 0.5f, 1f, Integer.MAX_VALUE, 1f, 3, 0f, 1f, 2, 1, 3),
        samples);
    assertEquals(32, trainer.configOf(TokenizerStage.STAGE1).latentChannels(), "stages 2 and 3 take C from here");
    for (TokenizerStage stage : List.of(TokenizerStage.VANILLA, TokenizerStage.STAGE1)) {
      Path checkpoint = trainer.latestOf(stage);
      try (TrainedTokenizer loaded = TrainedTokenizer.load(stage.directoryName(), checkpoint, nsfwjs)) {
        LatentBatch z = loaded.encode(images(loaded, 2));
        assertEquals(32, z.channels());
        assertEquals(16, loaded.decode(z).width());
        Path out = latents.resolve(stage.directoryName());
        LatentExtractor.of(loaded, checkpoint, QUIET).extract(
            new ExtractionInput("shapes", "all", samples, List.of("disc", "square"), Map.of(), null), out,
            new ExtractionOptions(4, 4, false, false));
        LatentSet set = LatentSet.read(out);
        assertEquals(32, set.channels());
        assertEquals(32, LatentTrainingData.from(set).channels(), "the DiT reads C from the latents");
      }
    }
  }

  @Test
  void stageTwosEncoderLearningRateIsItsOwn(@TempDir Path common, @TempDir Path slow) throws Exception {
    TokenizerTrainer first = new TokenizerTrainer(common, nsfwjs, QUIET);
    first.train(TokenizerStage.STAGE1, ALIGNTOK, alignTokStage(TokenizerStage.STAGE1, 2, 0f), samples);
    Files.createSymbolicLink(slow.resolve("stage1"), common.resolve("stage1"));
    TokenizerTrainer slowed = new TokenizerTrainer(slow, nsfwjs, QUIET);
    first.train(TokenizerStage.STAGE2, ALIGNTOK, alignTokStage(TokenizerStage.STAGE2, 3, 0f), samples);
    slowed.train(TokenizerStage.STAGE2, ALIGNTOK, alignTokStage(TokenizerStage.STAGE2, 3, 1e-12f), samples);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList stage1 = Checkpoints.readTensors(first.latestOf(TokenizerStage.STAGE1), Checkpoints.MODEL, manager);
      NDList atCommonRate = Checkpoints.readTensors(first.latestOf(TokenizerStage.STAGE2), Checkpoints.MODEL, manager);
      NDList atTinyRate = Checkpoints.readTensors(slowed.latestOf(TokenizerStage.STAGE2), Checkpoints.MODEL, manager);
      assertTrue(maxChange(stage1, atCommonRate, "encoder/") > 1e-4, "the encoder learns at the common rate");
      assertTrue(maxChange(stage1, atTinyRate, "encoder/") < 1e-8, "the encoder barely moves at 1e-12");
      assertTrue(maxChange(stage1, atTinyRate, "adapter/") > 1e-4, "the adapter still learns at the common rate");
    }
    assertTrue(metrics(slow.resolve("stage2")).get(0).has("encoder_lr"));
  }

  @Test
  void theFrozenOutputCacheLeavesEveryStagesLossesUnchanged(@TempDir Path plain, @TempDir Path cached) throws Exception {
    TokenizerTrainer without = new TokenizerTrainer(plain, nsfwjs, QUIET);
    for (TokenizerStage stage : List.of(TokenizerStage.STAGE1, TokenizerStage.STAGE2, TokenizerStage.STAGE3)) {
      // both sides start from the same previous stage (the uncached one), so only this stage's cache can differ
      Path run = Files.createDirectories(cached.resolve(stage.directoryName() + "-run"));
      if (stage.previous() != null) {
        Files.createSymbolicLink(run.resolve(stage.previous().directoryName()), plain.resolve(stage.previous().directoryName()));
      }
      // batches of 4 from 8 images: 2 per epoch, so 4 steps meet every image twice, flipped or not
      StageConfig config = alignTokStage(stage, 4, 0f);
      without.train(stage, ALIGNTOK, config, samples);
      new TokenizerTrainer(run, nsfwjs, QUIET, 64L << 20).train(stage, ALIGNTOK, config, samples);
      List<JsonNode> a = metrics(plain.resolve(stage.directoryName()));
      List<JsonNode> b = metrics(run.resolve(stage.directoryName()));
      for (int i = 0; i < a.size(); i++) {
        for (String loss : List.of("l1", "total")) {
          assertEquals(a.get(i).get(loss).asDouble(), b.get(i).get(loss).asDouble(), 1e-6, stage + " step " + i + " " + loss);
        }
      }
      JsonNode last = b.get(b.size() - 1);
      assertTrue(last.get("frozen_cache_hits").asLong() > 0, stage + ": the cache was used, " + last);
    }
  }

  private static StageConfig alignTokStage(TokenizerStage stage, int steps, float encoderLearningRate) {
    // no perceptual loss: its network is the slow part at CI size, and it never reads a cached output
    return new StageConfig(steps, 4, 3e-3f, 0, 0f, 1.0f, stage == TokenizerStage.STAGE3 ? 3 : Integer.MAX_VALUE, 1.0f, 3,
        stage == TokenizerStage.STAGE2 ? 0.5f : 0f, 1.0f, steps, 1, 3, encoderLearningRate, 0f);
  }

  private static ImageBatch images(TrainedTokenizer tokenizer, int count) {
    int size = tokenizer.tokenizer().config().imageSize();
    float[] pixels = new float[count * 3 * size * size];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (i * 37 % 101) / 100f;
    }
    return new ImageBatch(pixels, count, size, size);
  }

  private static boolean sameValues(NDList a, NDList b, String prefix) {
    boolean same = true;
    for (NDArray x : a) {
      NDArray y = b.get(x.getName());
      if (x.getName().startsWith(prefix) && y != null) {
        same &= java.util.Arrays.equals(x.toFloatArray(), y.toFloatArray());
      }
    }
    return same;
  }

  private static double maxChange(NDList a, NDList b, String prefix) {
    double max = 0;
    for (NDArray x : a) {
      if (!x.getName().startsWith(prefix)) {
        continue;
      }
      float[] u = x.toFloatArray();
      float[] v = b.get(x.getName()).toFloatArray();
      for (int i = 0; i < u.length; i++) {
        max = Math.max(max, Math.abs(u[i] - v[i]));
      }
    }
    return max;
  }

  private static List<JsonNode> metrics(Path stageDir) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(stageDir.resolve("metrics.jsonl"))) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }
}
