package dev.aligntok.trainer.cli;

import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.export.BundleExport;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aligntok export}: a trained tokenizer + DiT as a verified ONNX model bundle for the serving runtime. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a trained DiT and the tokenizer that decodes it as an ONNX model bundle (manifest.json, "
        + "encoder.onnx, decoder.onnx, dit.onnx, tensorrt.json; opset 21, dynamic batch axis). The bundle is loaded "
        + "in ONNX Runtime and checked against the DJL models (encoder, decoder and an 8-step guided generation from "
        + "the same seeds) before it is written; the measured errors go into the manifest. The sampler options set "
        + "the bundle's generation defaults.")
final class ExportCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  CacheOption cache;

  @Mixin
  DiTOptions model;

  @Mixin
  SamplerOptions sampler;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "bundles/emoji-default",
      description = "Bundle directory to create; must not exist (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--name", defaultValue = "emoji-default", description = "Bundle name (default: ${DEFAULT-VALUE}).")
  String name;

  @Override
  public Integer call() throws IOException {
    SamplerSettings defaults = sampler.settings(spec.commandLine());
    if (Files.exists(out)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--out " + out + " already exists; bundles are immutable, choose a new directory");
    }
    Path nsfwjs = DatasetCatalog.require(cache.resolve(), DataSources.NSFWJS);
    PrintWriter stdout = spec.commandLine().getOut();
    try (TrainedDiT dit = TrainedDiT.load(model.dit); TrainedTokenizer tokenizer = model.loadTokenizer(dit, nsfwjs)) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      long started = System.nanoTime();
      BundleManifest manifest = new BundleExport(stdout).export(
          new BundleExport.Sources(tokenizer, model.tokenizerCheckpoint(dit), dit), name, defaults, Map.of(), out);
      stdout.printf("bundle %s (%s) written to %s in %.1f s:%n", manifest.name(), manifest.id(), out.toAbsolutePath(),
          (System.nanoTime() - started) / 1e9);
      try (Stream<Path> files = Files.list(out)) {
        for (Path file : files.sorted().toList()) {
          stdout.printf("  %-16s %,12d bytes%n", file.getFileName(), Files.size(file));
        }
      }
    }
    return 0;
  }
}
