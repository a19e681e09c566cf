package dev.aligntok.trainer.cli;

import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiOptions.LabelLevel;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.data.Splits;
import dev.aligntok.trainer.eval.EvaluationConfig;
import dev.aligntok.trainer.eval.EvaluationReport;
import dev.aligntok.trainer.features.InceptionV3Features;
import dev.aligntok.trainer.eval.LabelledImages;
import dev.aligntok.trainer.features.MobileNetV2Features;
import dev.aligntok.trainer.eval.ProbeConfig;
import dev.aligntok.trainer.eval.ProbeResult;
import dev.aligntok.trainer.features.FeatureCache;
import dev.aligntok.trainer.features.FeatureExtractor;
import dev.aligntok.trainer.charts.LossCurves;
import dev.aligntok.trainer.eval.TokenizerEvaluation;
import dev.aligntok.trainer.tokenizer.TokenizerStage;
import dev.aligntok.trainer.tokenizer.TokenizerTrainer;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aligntok eval tokenizer}: PSNR, SSIM, Fréchet distance (InceptionV3 mixed5), linear probe
 * and latent statistics of a trained stage on the held-out split; eval.json, reconstructions.png and
 * loss-curves.png in RUN/&lt;stage&gt;/eval/.
 */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
    description = "Evaluate a trained tokenizer stage on the held-out split (the same seeded split training used): "
        + "PSNR, SSIM, Fréchet distance in InceptionV3 mixed5 features, linear-probe accuracy of pooled, 2x2 and whole latents and of same-width pixel references, "
        + "per-channel latent statistics; writes eval.json, reconstructions.png and loss-curves.png.")
final class EvalTokenizerCommand implements Callable<Integer> {
  @Mixin
  CacheOption cache;

  @Mixin
  DatasetSplitOptions data;

  @Option(names = "--stage", required = true, description = "1, 2, 3, baseline or vanilla.")
  String stage;

  @Option(names = "--run", defaultValue = "runs/emoji-default", description = "Run directory (default: ${DEFAULT-VALUE}).")
  Path run;

  @Option(names = "--probe-labels", defaultValue = "CATEGORY",
      description = "Emoji label level for the linear probe: CATEGORY or SUBCATEGORY (default: ${DEFAULT-VALUE}).")
  LabelLevel probeLabels;

  @Option(names = "--frozen-encoder-probe", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also probe the pretrained MobileNetV2's own pooled block_10 features (the frozen-encoder baseline), "
          + "whole and cut to each latent probe's width (frozen_encoder_pca@latents, @latents_2x2, @latents_full: the "
          + "feature map pooled to the smallest grid holding the width, then PCA); a few minutes; default: on.")
  boolean frozenEncoderProbe;

  @Option(names = "--pixel-references", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Also probe raw pixels: pooled to a 4×4 grid, and cut (area-average, then PCA) to each latent "
          + "probe's width (raw_pixels_pca@latents, ...). They depend only on the data and the latent width, so a "
          + "study computes them once per width; 1-3 minutes; default: on.")
  boolean pixelReferences;

  @Option(names = "--probe-train-images", paramLabel = "N", defaultValue = "0",
      description = "Train the probes on a seeded subset of N training images (0 = the whole training split, the "
          + "default). Every training image is encoded once per evaluation: Fashion-MNIST's 58,800 take about half an "
          + "hour on 2 cores, 6,000 a few minutes.")
  int probeTrainImages;

  @Mixin
  FeatureCacheOption featureCache;

  @Mixin
  FrechetBootstrapOption frechetBootstrap;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    EvaluationConfig config = EvaluationConfig.defaults().withFrechetResamples(frechetBootstrap.resamples(spec.commandLine()))
        .withRawPixelProbes(pixelReferences);
    TokenizerStage which = TokenizerStage.parse(stage);
    DataCache dataCache = cache.resolve();
    Path nsfwjs = DatasetCatalog.require(dataCache, DataSources.NSFWJS);
    TokenizerTrainer trainer = new TokenizerTrainer(run, nsfwjs, System.out);
    Path checkpoint = trainer.latestOf(which);
    DatasetSplitOptions.Opened opened = data.open(dataCache, probeLabels);
    Splits.Split split = opened.split();
    if (probeTrainImages < 0) {
      throw new IllegalArgumentException("--probe-train-images must be >= 0, got " + probeTrainImages);
    }
    List<Sample> probeTrain = Splits.subset(split.train(), probeTrainImages, data.seed);
    String name = opened.dataset().name();
    Path out = Files.createDirectories(trainer.stageDirectory(which).resolve("eval"));
    try (TrainedTokenizer tokenizer = TrainedTokenizer.load("aligntok-" + which.directoryName(), checkpoint, nsfwjs);
         InceptionV3Features inception = InceptionV3Features.fromNsfwjs(nsfwjs)) {
      int size = tokenizer.tokenizer().config().imageSize();
      LabelledImages train = LabelledImages.fromSamples(name + " train", probeTrain, size);
      LabelledImages heldOut = LabelledImages.fromSamples(name + " held-out", split.validation(), size);
      EvaluationReport report = new TokenizerEvaluation(config, inception).evaluate(tokenizer,
          train, heldOut, out);
      Path metrics = trainer.stageDirectory(which).resolve("metrics.jsonl");
      if (Files.exists(metrics)) {
        LossCurves.writeInto(metrics, out, LossCurves.Options.defaults());
      }
      if (frozenEncoderProbe) {
        try (MobileNetV2Features frozen = MobileNetV2Features.fromNsfwjs(nsfwjs)) {
          FeatureCache cache = featureCache.resolve(dataCache);
          FeatureExtractor cached = cache.of(frozen);
          report = report.withProbe("frozen_encoder:" + frozen.name(),
              TokenizerEvaluation.probeFeatures(cached, train, heldOut, ProbeConfig.tokenizerProbes(), 32));
          EvaluationReport.LatentShape latents = report.latents();
          var gridded = new TokenizerEvaluation.GriddedFeatures(frozen.dimensions(), frozen.mapSide(),
              cells -> cells == 1 ? cached : cache.of(frozen.pooledToGrid(cells)));
          Map<String, ProbeResult> sameWidth = TokenizerEvaluation.probeFeaturesAtWidths(gridded, train, heldOut,
              TokenizerEvaluation.latentProbeWidths(latents.channels(), latents.height(), latents.width()),
              ProbeConfig.tokenizerProbes(), 32);
          for (Map.Entry<String, ProbeResult> entry : sameWidth.entrySet()) {
            report = report.withProbe(entry.getKey(), entry.getValue());
          }
          TokenizerEvaluation.writeReport(out.resolve(TokenizerEvaluation.REPORT_FILE), report);
        }
      }
      System.out.println("evaluated " + checkpoint + " → " + out.resolve(TokenizerEvaluation.REPORT_FILE));
      System.out.println(report);
    }
    return 0;
  }
}
