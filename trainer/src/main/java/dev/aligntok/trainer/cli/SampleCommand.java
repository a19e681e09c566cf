package dev.aligntok.trainer.cli;

import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.trainer.captions.NovelPrompts;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.diffusion.LatentGenerator;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.image.SampleGrid;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok sample}: images for prompts from a trained DiT, as a PNG grid (a row per prompt). */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Generate images for prompts with a trained DiT and its tokenizer's decoder; writes a PNG grid with "
        + "a row per prompt. On a text DiT (train dit --conditioning text) a prompt is any text: it is embedded with "
        + "all-MiniLM-L6-v2 and guided against the empty prompt. On a class DiT a prompt is a class name or synonym "
        + "(emoji subcategory such as 'face-smiling', or an emoji short name such as 'cat'); unknown prompts fail with "
        + "the closest classes. Image j of a prompt starts "
        + "from the portable noise of (seed + j, stream 0), so a seed reproduces the same image anywhere.")
final class SampleCommand implements Callable<Integer> {
  static final int MAX_COUNT = 64;
  /** Rows of one grid, at most. */
  static final int MAX_PROMPTS = 64;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CacheOption cache;

  @Mixin
  DiTOptions model;

  @Mixin
  SamplerOptions sampler;

  @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT",
      description = "A prompt (repeatable; default: a text DiT draws a fixed list of novel compositions such as 'a "
          + "smiling cat wearing sunglasses', a class DiT its first 6 classes).")
  List<String> prompts = new ArrayList<>();

  @Option(names = "--prompts-file", paramLabel = "FILE",
      description = "More prompts, one per line (blank lines and lines starting with # are skipped), after the -p ones.")
  Path promptsFile;

  @Option(names = "--count", paramLabel = "N", defaultValue = "6",
      description = "Images per prompt, 1.." + MAX_COUNT + " (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the first image of each prompt (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "PNG", defaultValue = "samples.png", description = "Output grid (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() {
    SamplerSettings settings = sampler.settings(spec.commandLine());
    if (count < 1 || count > MAX_COUNT) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--count must be in 1.." + MAX_COUNT + ", got " + count);
    }
    List<String> given = new ArrayList<>(prompts);
    if (promptsFile != null) {
      try {
        given.addAll(PromptsFile.read(promptsFile));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
      }
    }
    if (given.size() > MAX_PROMPTS) {
      throw new CommandLine.ParameterException(spec.commandLine(), given.size() + " prompts; at most " + MAX_PROMPTS
          + " fit one grid");
    }
    Path nsfwjs = DatasetCatalog.require(cache.resolve(), DataSources.NSFWJS);
    try (TrainedDiT dit = TrainedDiT.load(model.dit); TrainedTokenizer tokenizer = model.loadTokenizer(dit, nsfwjs)) {
      boolean text = dit.config().textConditioned();
      List<String> texts = !given.isEmpty() ? given
          : text ? NovelPrompts.DEFAULT : dit.classNames().subList(0, Math.min(6, dit.classNames().size()));
      List<String> rows = new ArrayList<>();
      int n = texts.size() * count;
      long[] seeds = new long[n];
      for (int i = 0; i < n; i++) {
        seeds[i] = seed + i % count;
      }
      long started = System.nanoTime();
      LatentBatch latents = text ? textLatents(dit, texts, seeds, settings, rows) : classLatents(dit, texts, seeds, settings, rows);
      ImageBatch images = tokenizer.decode(latents);
      double seconds = (System.nanoTime() - started) / 1e9;
      SampleGrid.write(out, images, rows, count, 2, String.format("%d steps %s, CFG %.1f in [%.2f, %.2f], seeds %d..%d",
          settings.steps(), settings.solver().name().toLowerCase(), settings.cfgScale(), settings.cfgLow(),
          settings.cfgHigh(), seed, seed + count - 1));
      System.out.printf("%d images in %.1f s (%.2f images/s) → %s%n", n, seconds, n / seconds, out.toAbsolutePath());
    }
    return 0;
  }

  /** A class DiT: each prompt names a class (or a synonym); row labels show the class it resolved to. */
  private LatentBatch classLatents(TrainedDiT dit, List<String> texts, long[] seeds, SamplerSettings settings,
      List<String> rows) {
    int[] classes = new int[seeds.length];
    for (int r = 0; r < texts.size(); r++) {
      int id;
      try {
        id = dit.vocabulary().id(texts.get(r));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      rows.add(texts.get(r).equals(dit.classNames().get(id)) ? texts.get(r) : texts.get(r) + " → " + dit.classNames().get(id));
      Arrays.fill(classes, r * count, (r + 1) * count, id);
    }
    return new LatentGenerator(dit, 32).generate(classes, seeds, new long[seeds.length], settings);
  }

  /** A text DiT: each prompt is free text, embedded with the empty prompt (the guidance null) in one encoder session. */
  private LatentBatch textLatents(TrainedDiT dit, List<String> texts, long[] seeds, SamplerSettings settings,
      List<String> rows) {
    List<String> withNull = new ArrayList<>(texts);
    withNull.add("");
    float[][] vectors;
    try (TextEncoder encoder = CaptionSplitOptions.openEncoder()) {
      if (encoder.dimension() != dit.config().textDim()) {
        throw new IllegalArgumentException("DiT " + dit.checkpoint() + " takes text embeddings of " + dit.config().textDim()
            + " floats; the text encoder gives " + encoder.dimension());
      }
      vectors = encoder.embed(withNull);
    }
    float[][] conditions = new float[seeds.length][];
    for (int i = 0; i < conditions.length; i++) {
      conditions[i] = vectors[i / count];
    }
    rows.addAll(texts);
    return new LatentGenerator(dit, 32).generate(conditions, vectors[texts.size()], seeds, new long[seeds.length], settings);
  }
}
