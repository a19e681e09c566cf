package dev.aligntok.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aligntok.inference.manifest.BundleJson;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.text.TextEncoderArtifact;
import dev.aligntok.trainer.captions.CaptionOptions;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.captions.EvalPrompt;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.diffusion.CaptionRecord;
import dev.aligntok.trainer.diffusion.PromptKindSplit;
import dev.aligntok.trainer.diffusion.TextPrompts;
import dev.aligntok.trainer.train.Checkpoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code aligntok eval text-prompts}: the text-only half of a text DiT's prompt-consistency report —
 * how well the frozen text embedding identifies the class of a held-out phrasing — without
 * generating an image.
 */
@Command(name = "text-prompts", mixinStandardHelpOptions = true,
    description = "How much of the emoji class the frozen all-MiniLM-L6-v2 embedding of a held-out phrasing carries, "
        + "before any DiT: the held-out prompts of eval generation (same --eval-prompts, --eval-prompt-seed and caption "
        + "split), counted for ambiguity (does the text alone fix the class?), scored by nearest class caption, nearest caption centroid, and text → class probes (softmax "
        + "regression and a one-hidden-layer MLP) trained on the embeddings of the training images' captions. "
        + "Generates no images (minutes, not the half hour of eval generation). Writes text-prompts.json.")
final class EvalTextPromptsCommand implements Callable<Integer> {
  static final String REPORT_FILE = "text-prompts.json";

  @Mixin
  CacheOption cache;

  @Mixin
  DatasetSplitOptions data;

  @Mixin
  CaptionSplitOptions captionSplit;

  @Option(names = "--dit", paramLabel = "DIR",
      description = "A text DiT run directory or checkpoint: its recorded caption split (captions.json) is used "
          + "unless --caption-split-seed / --caption-held-out-share say otherwise (default: the project's split).")
  Path dit;

  @Option(names = "--bundle", paramLabel = "DIR",
      description = "A text bundle to check against: its classes must be the dataset's and its text encoder the one "
          + "the trainer uses (the probes depend on the captions and the encoder, not on the DiT's weights).")
  Path bundle;

  @Option(names = "--eval-prompts", paramLabel = "N", defaultValue = "400",
      description = "Held-out prompts, as eval generation picks them (default: ${DEFAULT-VALUE}).")
  int evalPrompts;

  @Option(names = "--eval-prompt-seed", paramLabel = "SEED", defaultValue = "0",
      description = "Seed that picks the held-out prompts (default: ${DEFAULT-VALUE}).")
  long evalPromptSeed;

  @Mixin
  TextProbeOptions textProbes;

  @Option(names = "--ambiguity-only",
      description = "Only count how far the prompts' texts determine their class (ambiguity*, trainingCaption*, "
          + "heldOutPhrase*): no text encoder, no probes; seconds.")
  boolean ambiguityOnly;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = ".",
      description = "Directory of " + REPORT_FILE + " (default: the current directory).")
  Path out;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (evalPrompts < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--eval-prompts must be >= 1, got " + evalPrompts);
    }
    DataCache dataCache = cache.resolve();
    DatasetSplitOptions.Opened opened = data.open(dataCache, LabelLevel.SUBCATEGORY);
    List<String> classNames = opened.dataset().labels().names();
    if (bundle != null) {
      checkBundle(classNames);
    }
    CaptionOptions recorded = dit == null ? null : CaptionRecord.read(runDirectory(dit)).map(CaptionRecord::options)
        .orElseThrow(() -> new IllegalArgumentException("--dit " + dit + " has no " + CaptionRecord.FILE
            + ": not a text DiT run"));
    CaptionOptions options = captionSplit.options(recorded);
    CaptionSet captions = CaptionSplitOptions.captions(dataCache, opened.dataset().name(), options);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("dataset", opened.dataset().name());
    report.put("captionSplit", options);
    Set<String> trainingImageIds = TextPromptSet.imageIds(opened.split().train());
    if (ambiguityOnly) {
      List<EvalPrompt> drawn = TextPromptSet.drawn(classNames, captions, evalPrompts, evalPromptSeed, System.out);
      report.put("prompts", drawn.size());
      report.putAll(TextPromptSet.ambiguity(captions, drawn, trainingImageIds, System.out).report());
    } else {
      TextPrompts text = TextPromptSet.build(classNames, captions, trainingImageIds, evalPrompts, evalPromptSeed,
          textProbes.enabled, textProbes.linear, System.out);
      report.put("prompts", text.prompts().size());
      report.put("chanceLevel", text.chanceLevel());
      report.put("mostFrequentClassShare", text.mostFrequentClassShare());
      report.put("nearestClassCaptionAccuracy", text.nearestClassCaptionAccuracy());
      report.put("nearestCaptionCentroidAccuracy", text.nearestCentroidAccuracy());
      if (text.classProbes() != null) {
        report.putAll(text.classProbes().report());
      }
      report.putAll(text.ambiguity().report());
      report.put("byPromptKind", text.byPromptKind());
      report.put("byPromptKindMeaning", PromptKindSplit.meaning());
      printByKind(text.byPromptKind());
      System.out.printf("%d held-out prompts: nearest class caption %.1f %%, nearest caption centroid %.1f %%%s "
              + "(class-blind chance %.1f %%)%n", text.prompts().size(), 100 * text.nearestClassCaptionAccuracy(),
          100 * text.nearestCentroidAccuracy(), text.classProbes() == null ? ""
              : String.format(java.util.Locale.ROOT, ", linear probe %.1f %%, MLP probe %.1f %%",
                  100 * text.classProbes().linearHeldOutAccuracy(), 100 * text.classProbes().mlpHeldOutAccuracy()),
          100 * text.chanceLevel());
    }
    try {
      Files.createDirectories(out);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve(REPORT_FILE).toFile(), report);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(REPORT_FILE), e);
    }
    System.out.println("report → " + out.resolve(REPORT_FILE));
    return 0;
  }

  /** One line per prompt kind: its count and every reading's accuracy on it. */
  private static void printByKind(Map<String, Object> byKind) {
    byKind.forEach((kind, fields) -> {
      StringBuilder line = new StringBuilder("  " + kind + ":");
      ((Map<?, ?>) fields).forEach((field, value) -> {
        String name = field.toString();
        if (name.equals("prompts")) {
          line.append(' ').append(value).append(" prompts");
        } else if (name.endsWith("Accuracy")) {
          line.append(String.format(java.util.Locale.ROOT, ", %s %.1f %%",
              name.substring(0, name.length() - "Accuracy".length()), 100 * (Double) value));
        }
      });
      System.out.println(line);
    });
  }

  /** A run directory as given, else the run of a checkpoint directory. */
  private static Path runDirectory(Path dir) {
    return Files.isRegularFile(dir.resolve(CaptionRecord.FILE)) ? dir : Checkpoints.runDirectoryOf(dir);
  }

  private void checkBundle(List<String> classNames) {
    Path manifestFile = bundle.resolve(BundleManifest.MANIFEST_FILE);
    BundleManifest manifest;
    try {
      manifest = BundleJson.mapper().readValue(manifestFile.toFile(), BundleManifest.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + manifestFile + ": " + e.getMessage(), e);
    }
    if (manifest.textEncoder() == null) {
      throw new IllegalArgumentException("bundle " + bundle + " is not text-conditioned (its manifest names no text encoder)");
    }
    String expected = TextEncoderArtifact.MINILM_L6_V2_Q.modelSha256();
    if (!expected.equals(manifest.textEncoder().model().sha256())) {
      throw new IllegalArgumentException("bundle " + bundle + "'s text encoder " + manifest.textEncoder().coordinates()
          + " is not the trainer's (model SHA-256 " + expected + ")");
    }
    if (manifest.labels() == null || !classNames.equals(manifest.labels().names())) {
      throw new IllegalArgumentException("bundle " + bundle + "'s classes are not the dataset's " + classNames.size()
          + " labels; pass the --dataset it was trained on");
    }
  }
}
