package dev.aligntok.trainer.export;

import dev.aligntok.export.bundle.BundleWriter;
import dev.aligntok.inference.io.Directories;
import dev.aligntok.inference.io.Sha256;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.inference.text.TextEncoderArtifact;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.trainer.tokenizer.Tokenizer;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import dev.aligntok.trainer.train.Checkpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes a trained tokenizer and DiT as one model bundle, then proves it: the bundle is written to
 * a staging directory, loaded by the serving runtime and compared with the DJL models
 * ({@link ExportVerification}); only if every check passes is it written again, with the measured
 * errors in its manifest, to the final directory. A failed check leaves nothing behind.
 */
public final class BundleExport {
  /**
   * fp32 export must agree with DJL to this on every check, per element: |error| ≤ TOLERANCE ×
   * max(1, |value|) ({@link ExportVerification.Report#worst}).
   */
  public static final double TOLERANCE = 1e-4;
  /**
   * The encoder a text DiT's captions are embedded with in training (DiT checkpoints do not record
   * it); the bundle references it and the runtime resolves it from the classpath.
   */
  public static final TextEncoderArtifact TEXT_ENCODER = TextEncoderArtifact.MINILM_L6_V2_Q;

  private final PrintWriter out;

  public BundleExport(PrintWriter out) {
    this.out = out;
  }

  /** What to export: the DiT (its latent statistics and vocabulary) and the tokenizer that decodes it. */
  public record Sources(TrainedTokenizer tokenizer, Path tokenizerCheckpoint, TrainedDiT dit) {}

  /** Exports {@code sources} as bundle {@code name} into {@code target} (must not exist); returns the manifest. */
  public BundleManifest export(Sources sources, String name, SamplerSettings samplerDefaults, Map<String, Object> extraMetrics,
      Path target) throws IOException {
    if (Files.exists(target)) {
      throw new IOException("bundle directory " + target + " already exists; bundles are immutable, choose another --out");
    }
    BundleWriter writer = writer(sources, name, samplerDefaults, target);
    extraMetrics.forEach(writer::metric);
    Path staging = Files.createTempDirectory(target.toAbsolutePath().getParent(), ".export-");
    try {
      Path candidate = staging.resolve("bundle");
      writer.write(candidate);
      out.println("verifying the bundle in ONNX Runtime against the DJL models...");
      ExportVerification.Report report = ExportVerification.run(candidate, sources);
      out.println(report.describe());
      if (report.worst() > TOLERANCE) {
        throw new IllegalStateException("exported bundle disagrees with the trained models: scaled error "
            + report.worst() + " > " + TOLERANCE + " (" + report.describe() + "); nothing was written to " + target);
      }
      report.asMetrics().forEach(writer::metric);
      return writer.write(target);
    } finally {
      deleteRecursively(staging);
    }
  }

  /** {@code target}: the final bundle directory, which the manifest's source paths are relative to. */
  private static BundleWriter writer(Sources sources, String name, SamplerSettings samplerDefaults, Path target) {
    Tokenizer tokenizer = sources.tokenizer().tokenizer();
    TrainedDiT dit = sources.dit();
    int grid = tokenizer.gridSize();
    if (dit.config().latentChannels() != tokenizer.config().latentChannels() || dit.config().gridSize() != grid) {
      throw new IllegalArgumentException("the DiT models " + dit.config().latentChannels() + "×" + dit.config().gridSize() + "²"
          + " latents but the tokenizer makes " + tokenizer.config().latentChannels() + "×" + grid + "²: pass the tokenizer"
          + " whose latents the DiT was trained on");
    }
    Latent latent = Latent.of(tokenizer.config().latentChannels(), grid, grid, dit.state().channelMean(), dit.state().channelStd());
    BundleWriter writer = new BundleWriter(name);
    if (dit.config().textConditioned()) {
      // the DiT's width here; the loader checks the encoder really gives it during verification
      writer.textEncoder(TEXT_ENCODER.manifestEntry(dit.config().textDim()));
    }
    return writer
        .tokenizer(TokenizerExport.encoder(tokenizer), TokenizerExport.decoder(tokenizer.decoder(), grid, grid),
            tokenizer.config().imageSize(), latent)
        .tokenizerSource(relative(target, sources.tokenizerCheckpoint()), weightsHash(sources.tokenizerCheckpoint()))
        .dit(DiTExport.velocity(dit), dit.vocabulary(), samplerDefaults)
        .ditSource(relative(target, dit.checkpoint()), weightsHash(dit.checkpoint()))
        .metric("dit.step", dit.state().step())
        .metric("dit.config", dit.config().toString());
  }

  /** A checkpoint as the manifest records it: relative to the bundle, so the manifest names no machine. */
  private static Path relative(Path bundle, Path checkpoint) {
    return Path.of(Directories.relativePath(bundle, checkpoint));
  }

  /** SHA-256 of the weights the loaders use: the EMA group when the checkpoint has one, else the model group. */
  private static String weightsHash(Path checkpoint) {
    Path weights = Checkpoints.weightsFile(checkpoint);
    if (!Files.isRegularFile(weights)) {
      throw new IllegalArgumentException("checkpoint " + checkpoint + " has no weights file " + weights.getFileName());
    }
    return Sha256.of(weights);
  }

  private static void deleteRecursively(Path dir) {
    try {
      Directories.deleteRecursively(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove the staging directory " + dir, e);
    }
  }
}
