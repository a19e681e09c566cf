package dev.aligntok.trainer.cli;

import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.diffusion.LatentGenerator;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.image.SampleGrid;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok sample}: images for prompts from a trained DiT, as a PNG grid (a row per prompt). */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Generate images for prompts with a trained DiT and its tokenizer's decoder; writes a PNG grid with "
        + "a row per prompt. A prompt is a class name or synonym (emoji subcategory such as 'face-smiling', or an "
        + "emoji short name such as 'cat'); unknown prompts fail with the closest classes. Image j of a prompt starts "
        + "from the portable noise of (seed + j, stream 0), so a seed reproduces the same image anywhere.")
final class SampleCommand implements Callable<Integer> {
  static final int MAX_COUNT = 64;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CacheOption cache;

  @Mixin
  DiTOptions model;

  @Mixin
  SamplerOptions sampler;

  @Option(names = {"-p", "--prompt"}, paramLabel = "TEXT",
      description = "A prompt (repeatable; default: the first 6 classes).")
  List<String> prompts = new ArrayList<>();

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
    Path nsfwjs = DatasetCatalog.require(cache.resolve(), DataSources.NSFWJS);
    try (TrainedDiT dit = TrainedDiT.load(model.dit); TrainedTokenizer tokenizer = model.loadTokenizer(dit, nsfwjs)) {
      List<String> texts = prompts.isEmpty() ? dit.classNames().subList(0, Math.min(6, dit.classNames().size())) : prompts;
      List<String> rows = new ArrayList<>();
      int[] classes = new int[texts.size() * count];
      long[] seeds = new long[classes.length];
      for (int r = 0; r < texts.size(); r++) {
        int id;
        try {
          id = dit.vocabulary().id(texts.get(r));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        rows.add(texts.get(r).equals(dit.classNames().get(id)) ? texts.get(r) : texts.get(r) + " → " + dit.classNames().get(id));
        for (int c = 0; c < count; c++) {
          classes[r * count + c] = id;
          seeds[r * count + c] = seed + c;
        }
      }
      long started = System.nanoTime();
      var latents = new LatentGenerator(dit, 32).generate(classes, seeds, new long[classes.length], settings);
      ImageBatch images = tokenizer.decode(latents);
      double seconds = (System.nanoTime() - started) / 1e9;
      SampleGrid.write(out, images, rows, count, 2, String.format("%d steps %s, CFG %.1f in [%.2f, %.2f], seeds %d..%d",
          settings.steps(), settings.solver().name().toLowerCase(), settings.cfgScale(), settings.cfgLow(),
          settings.cfgHigh(), seed, seed + count - 1));
      System.out.printf("%d images in %.1f s (%.2f images/s) → %s%n", classes.length, seconds, classes.length / seconds,
          out.toAbsolutePath());
    }
    return 0;
  }
}
