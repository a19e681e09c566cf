package dev.aligntok.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.sampling.Solver;
import dev.aligntok.trainer.captions.CachedEmojiData;
import dev.aligntok.trainer.captions.CaptionEmbeddings;
import dev.aligntok.trainer.captions.CaptionOptions;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.captions.EmojiCaptions;
import dev.aligntok.trainer.captions.EvalPrompt;
import dev.aligntok.trainer.captions.PromptAmbiguity;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.EmojiVendor;
import dev.aligntok.trainer.data.ImageDataset;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.diffusion.CaptionRecord;
import dev.aligntok.trainer.diffusion.FlowTrainer;
import dev.aligntok.trainer.diffusion.GenerationEvaluation;
import dev.aligntok.trainer.diffusion.TextClassProbes;
import dev.aligntok.trainer.diffusion.TextPrompts;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.eval.LabelledImages;
import dev.aligntok.trainer.eval.MlpProbe;
import dev.aligntok.trainer.eval.ProbeConfig;
import dev.aligntok.trainer.features.FeatureCache;
import dev.aligntok.trainer.features.PixelGridFeatures;
import dev.aligntok.trainer.latents.ExtractionInput;
import dev.aligntok.trainer.latents.ExtractionOptions;
import dev.aligntok.trainer.latents.LatentExtractor;
import dev.aligntok.trainer.latents.TinyTokenizer;
import dev.aligntok.trainer.train.Checkpoints;
import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text DiT through the CLI on CI-sized parts: the tiny tokenizer's latents of a few real emoji
 * images (so the real captions apply), {@code train dit --conditioning text --size tiny}, its resume,
 * {@code sample -p} on it, and the generation evaluation's prompt consistency.
 */
class TextDiTCliTest {
  private static final int IMAGES = 8;
  @TempDir
  static Path dir;
  private static DataCache cache;
  private static ImageDataset emoji;
  private static Path latents;
  private static Path run;

  @BeforeAll
  static void trainTinyTextDiT() {
    cache = CachedEmojiData.withOrSkip(DataSources.EMOJI_GOOGLE, DataSources.EMOJILIB);
    TinyTokenizer.nsfwjs();
    emoji = DatasetCatalog.open("emoji-google", cache, LabelLevel.SUBCATEGORY, new ImageDecoder());
    latents = dir.resolve("latents");
    List<Sample> samples = emoji.samples().stream().filter(s -> s.label() % 7 == 0).limit(IMAGES).toList();
    LatentExtractor.of(TinyTokenizer.tokenizer(), TinyTokenizer.checkpoint(), quiet())
        .extract(ExtractionInput.of(emoji, "train", samples), latents, new ExtractionOptions(16, 8, true, false));
    run = dir.resolve("text-dit");
    Outcome trained = train(run, 6);
    assertEquals(0, trained.exit(), trained.err());
  }

  private record Outcome(int exit, String out, String err) {}

  private static Outcome cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    PrintStream stdout = System.out;
    try {
      System.setOut(quiet());
      int exit = AlignTokCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
      return new Outcome(exit, out.toString(), err.toString());
    } finally {
      System.setOut(stdout);
    }
  }

  private static Outcome train(Path runDir, int steps) {
    return cli("train", "dit", "--conditioning", "text", "--latents", latents.toString(), "--run", runDir.toString(),
        "--size", "tiny", "--steps", Integer.toString(steps), "--batch-size", "4", "--checkpoint-every", "2",
        "--lr", "0.01", "--cache", cache.root().toString());
  }

  static PrintStream quiet() {
    return new PrintStream(PrintStream.nullOutputStream());
  }

  @Test
  void textTrainingRecordsItsCaptionsAndResumesBitIdentically() throws Exception {
    Path resumed = dir.resolve("resumed");
    assertEquals(0, train(resumed, 2).exit());
    Outcome second = train(resumed, 6);
    assertEquals(0, second.exit(), second.err());
    Path a = new Checkpoints(run, 3).latest().orElseThrow();
    Path b = new Checkpoints(resumed, 3).latest().orElseThrow();
    assertEquals(a.getFileName(), b.getFileName());
    try (NDManager manager = NDManager.newBaseManager()) {
      for (String group : List.of(Checkpoints.MODEL, FlowTrainer.OPTIMIZER)) {
        NDList straight = Checkpoints.readTensors(a, group, manager);
        NDList continued = Checkpoints.readTensors(b, group, manager);
        assertEquals(straight.size(), continued.size());
        for (int i = 0; i < straight.size(); i++) {
          assertTrue(straight.get(i).contentEquals(continued.get(i)),
              group + " " + straight.get(i).getName() + ": interrupted at step 2 and resumed = uninterrupted");
        }
      }
    }
    try (TrainedDiT dit = TrainedDiT.load(run)) {
      assertTrue(dit.config().textConditioned());
      assertEquals(384, dit.config().textDim());
    }
    CaptionRecord record = CaptionRecord.read(run).orElseThrow();
    assertEquals("emoji-google", record.dataset());
    assertEquals(CaptionOptions.DEFAULT_SEED, record.splitSeed());
    assertTrue(Files.size(run.resolve(CaptionEmbeddings.FILE)) > record.captions() * 384L * 4);

    Outcome otherSplit = cli("train", "dit", "--conditioning", "text", "--latents", latents.toString(), "--run",
        run.toString(), "--size", "tiny", "--steps", "8", "--caption-split-seed", "5", "--cache", cache.root().toString());
    assertEquals(AlignTokCli.EXIT_FAILURE, otherSplit.exit());
    assertTrue(otherSplit.err().contains("records other captions"), otherSplit.err());
    assertEquals("one", record.templates());
    assertEquals("emojilib", record.keywords());
    Outcome otherTemplates = cli("train", "dit", "--conditioning", "text", "--latents", latents.toString(), "--run",
        run.toString(), "--size", "tiny", "--steps", "8", "--caption-templates", "every", "--cache",
        cache.root().toString());
    assertEquals(AlignTokCli.EXIT_FAILURE, otherTemplates.exit());
    assertTrue(otherTemplates.err().contains("records other captions"), otherTemplates.err());
    Outcome badTemplates = cli("train", "dit", "--conditioning", "text", "--latents", latents.toString(),
        "--caption-templates", "some");
    assertEquals(2, badTemplates.exit());
    assertTrue(badTemplates.err().contains("caption templates must be one or every, got 'some'"), badTemplates.err());
    // A record written before template use existed is one of 'one'.
    Path older = Files.createDirectories(dir.resolve("older-record"));
    Files.writeString(older.resolve(CaptionRecord.FILE), "{\"dataset\":\"emoji-google\",\"splitSeed\":19,"
        + "\"heldOutShare\":0.25,\"drawSeed\":7,\"captions\":9692,\"textEncoder\":\"x\",\"textEncoderModelSha256\":\"y\"}");
    CaptionOptions olderOptions = CaptionRecord.read(older).orElseThrow().options();
    assertEquals(CaptionOptions.TemplateUse.ONE, olderOptions.templates());
    assertEquals(CaptionOptions.KeywordSource.EMOJILIB, olderOptions.keywords());
    Outcome badMode = cli("train", "dit", "--conditioning", "words", "--latents", latents.toString());
    assertEquals(2, badMode.exit());
    assertTrue(badMode.err().contains("--conditioning must be class or text, got 'words'"), badMode.err());
  }

  @Test
  void samplePromptsOnATextDiTDifferByPromptAndRepeatBySeed() throws Exception {
    Path png = dir.resolve("prompts.png");
    Path file = Files.writeString(dir.resolve("prompts.txt"), "# novel\n\na red car on the moon\n");
    Outcome sampled = cli("sample", "--dit", run.toString(), "--cache", cache.root().toString(), "-p",
        "a smiling cat wearing sunglasses", "-p", "a grinning face", "-p", "a smiling cat wearing sunglasses",
        "--prompts-file", file.toString(), "--count", "2", "--steps", "3", "--seed", "4", "--out", png.toString());
    assertEquals(0, sampled.exit(), sampled.err());
    Outcome noSteps = cli("sample", "--dit", run.toString(), "--cache", cache.root().toString(), "-p", "x", "--steps", "0");
    assertEquals(2, noSteps.exit(), noSteps.err());
    assertTrue(noSteps.err().contains("steps must be in [1, 1000], got 0"), noSteps.err());
    BufferedImage grid = ImageIO.read(png.toFile());
    int[] cat = row(grid, 0);
    assertArrayEquals(cat, row(grid, 2), "same prompt, same seeds → same images");
    assertFalse(Arrays.equals(cat, row(grid, 1)), "another prompt, same seeds → other images");
    assertFalse(Arrays.equals(cat, row(grid, 3)), "the prompts file's prompt is a fourth row");
  }

  /**
   * Row r's two tiles in a SampleGrid of 16 px images at scale 2 (title 28 px, gaps 4 px), counted
   * from the right edge: the label column's width follows the longest label.
   */
  private static int[] row(BufferedImage grid, int r) {
    int y = 28 + 4 + r * (32 + 4);
    int tiles = 2 * (32 + 4);
    return grid.getRGB(grid.getWidth() - tiles, y, tiles, 32, null, 0, tiles);
  }

  @Test
  void evaluationReportsPromptConsistencyWithAndWithoutGuidanceAndTheChanceLevel() throws Exception {
    CaptionSet captions = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    List<String> names = emoji.labels().names();
    List<String> classCaptions = names.stream().map(name -> captions.caption(captions.classCaption(name))).toList();
    List<String> prompts = new ArrayList<>();
    List<Integer> classes = new ArrayList<>();
    for (EvalPrompt prompt : captions.evalSubset(6, 0)) {
      prompts.add(prompt.text());
      classes.add(names.indexOf(prompt.className()));
    }
    TextPrompts text;
    try (var encoder = CaptionSplitOptions.openEncoder()) {
      text = TextPrompts.embed(classCaptions, prompts, classes.stream().mapToInt(Integer::intValue).toArray(), encoder::embed);
    }
    List<Sample> train = emoji.samples().subList(0, 12);
    List<Sample> heldOut = emoji.samples().subList(100, 106);
    float[][] captionVectors = new float[captions.trainingCaptions().size()][];
    for (int i = 0; i < captionVectors.length; i++) {
      captionVectors[i] = text.classCaptions()[i % names.size()]; // any vectors: the report's plumbing is under test
    }
    TextClassProbes.Result probes = TextClassProbes.evaluate(TextClassProbes.trainingRows(captions.images(),
            TextPromptSet.imageIds(train), names, captionVectors, TextClassProbes.Weighting.DIT_DRAWS),
        text.promptVectors(), text.promptClasses(), names.size(), ProbeConfig.defaults(),
        new MlpProbe.Config(8, 2, 16, 1e-2, 0, 0.2, 0L));
    PromptAmbiguity ambiguity = PromptAmbiguity.of(captions, captions.evalSubset(6, 0), TextPromptSet.imageIds(train));
    text = text.withClassProbes(probes).withAmbiguity(ambiguity)
        .withPromptKinds(captions.evalSubset(6, 0).stream().map(EvalPrompt::kind).toList());
    Path out = dir.resolve("eval");
    Map<String, Object> report;
    try (TrainedDiT dit = TrainedDiT.load(run)) {
      report = new GenerationEvaluation(new PixelGridFeatures(), new PixelGridFeatures(), FeatureCache.at(dir.resolve("f")),
          quiet()).evaluate(dit, TinyTokenizer.tokenizer(), LabelledImages.fromSamples("train", train, 16),
          LabelledImages.fromSamples("held-out", heldOut, 16),
          new GenerationEvaluation.Settings(new SamplerSettings(3, Solver.EULER, 1f, 3f, 0f, 1f), 2, 2, 1000), out, null,
          text);
    }
    Map<?, ?> consistency = (Map<?, ?>) report.get("promptConsistency");
    assertEquals(6, consistency.get("prompts"));
    assertEquals(text.chanceLevel(), (Double) consistency.get("chanceLevel"), 1e-12);
    assertTrue(text.chanceLevel() >= 1.0 / 6 - 1e-9 && text.chanceLevel() <= 1, "Σq² of 6 prompts: " + text.chanceLevel());
    assertEquals(text.nearestClassCaptionAccuracy(), (Double) consistency.get("nearestClassCaptionAccuracy"), 1e-12);
    assertFalse(consistency.containsKey("nearestCaptionCentroidAccuracy"), "no centroids were computed");
    assertEquals(probes.linearHeldOutAccuracy(), (Double) consistency.get("textProbeHeldOutAccuracy"), 0);
    assertEquals(probes.mlpHeldOutAccuracy(), (Double) consistency.get("textMlpHeldOutAccuracy"), 0);
    assertEquals(probes.linearFitAccuracy(), (Double) consistency.get("textProbeFitAccuracy"), 0);
    assertEquals(ambiguity.ambiguityCeiling(), (Double) consistency.get("ambiguityCeiling"), 0);
    assertEquals(ambiguity.trainingCaptionCeiling(), (Double) consistency.get("trainingCaptionCeiling"), 0);
    Map<?, ?> byKind = (Map<?, ?>) consistency.get("byPromptKind");
    assertEquals(6, (Integer) ((Map<?, ?>) byKind.get("name")).get("prompts")
        + (Integer) ((Map<?, ?>) byKind.get("keyword")).get("prompts"), "every prompt has one kind: " + byKind);
    assertEquals(text.byPromptKind(), byKind);
    for (String name : List.of("without_cfg", "with_cfg")) {
      Map<?, ?> sampled = (Map<?, ?>) ((Map<?, ?>) report.get("runs")).get(name);
      double value = (Double) sampled.get("promptConsistency");
      assertTrue(value >= 0 && value <= 1, name + " prompt consistency " + value);
      assertTrue(Files.size(out.resolve("prompts-" + name + ".png")) > 100);
    }
    Map<?, ?> written = new ObjectMapper().readValue(out.resolve(GenerationEvaluation.REPORT_FILE).toFile(), Map.class);
    assertTrue(((Map<?, ?>) written.get("promptConsistency")).containsKey("chanceLevelMeaning"));
  }
}
