package dev.aligntok.benchmarks.serving;

import dev.aligntok.export.analysis.FlopCounter;
import dev.aligntok.export.analysis.PeakGemm;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.sampling.SamplerSettings;
import dev.aligntok.trainer.diffusion.LatentGenerator;
import dev.aligntok.trainer.diffusion.TrainedDiT;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.trainer.tokenizer.TrainedTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Throughput of a bundle's encode, decode and generate in ONNX Runtime (CPU) against the same
 * models in DJL, per batch size, with each point's achieved FLOP/s as a fraction of the machine's
 * measured peak GEMM rate. Every input is seeded, so runs differ only by the machine's noise.
 */
public final class RuntimeBenchmark {
  public static final String ORT = "onnxruntime";
  public static final String DJL = "djl";

  private final ModelBundle bundle;
  private final TrainedTokenizer tokenizer;
  private final TrainedDiT dit;
  private final SamplerSettings generation;
  private final double minSeconds;
  private final PrintWriter out;

  public RuntimeBenchmark(ModelBundle bundle, TrainedTokenizer tokenizer, TrainedDiT dit, SamplerSettings generation,
      double minSeconds, PrintWriter out) {
    this.bundle = bundle;
    this.tokenizer = tokenizer;
    this.dit = dit;
    this.generation = generation;
    this.minSeconds = minSeconds;
    this.out = out;
  }

  /** Measured points plus FLOPs per image and the peak GEMM rate they are compared with. */
  public record Report(Map<String, Double> gflopsPerImage, double peakGflops, long ditRowsPerImage,
      SamplerSettings generation, List<Throughput> points) {}

  public Report run(List<Integer> batchSizes, int threads) {
    Map<String, Double> flops = flopsPerImage();
    out.printf("FLOPs per image: encode %.3f G, decode %.3f G, generate %.3f G (%d DiT rows)%n", flops.get("encode"),
        flops.get("decode"), flops.get("generate"), DiTRowCounter.rowsPerImage(generation, bundle.generation().nullClass()));
    double peak = peakGemm(threads);
    List<Throughput> points = new ArrayList<>();
    for (int batch : batchSizes) {
      float[] images = randomUnit(batch * bundle.tokenizer().imageFloats(), batch);
      float[] latents = bundle.tokenizer().encode(images, batch);
      List<SamplingJob> requests = requests(batch);
      points.add(report(Throughput.measure("encode", ORT, batch, minSeconds, () -> bundle.tokenizer().encode(images, batch))));
      points.add(report(Throughput.measure("decode", ORT, batch, minSeconds, () -> bundle.tokenizer().decode(latents, batch))));
      points.add(report(Throughput.measure("generate", ORT, batch, minSeconds, () -> bundle.generation().generate(requests))));
      if (tokenizer != null) {
        int size = bundle.tokenizer().imageSize();
        var latent = bundle.tokenizer().latent();
        ImageBatch imageBatch = new ImageBatch(images, batch, size, size);
        LatentBatch latentBatch = new LatentBatch(latents, batch, latent.channels(), latent.height(), latent.width());
        points.add(report(Throughput.measure("encode", DJL, batch, minSeconds, () -> tokenizer.encode(imageBatch))));
        points.add(report(Throughput.measure("decode", DJL, batch, minSeconds, () -> tokenizer.decode(latentBatch))));
        int[] classes = requests.stream().mapToInt(SamplingJob::classId).toArray();
        long[] seeds = requests.stream().mapToLong(SamplingJob::seed).toArray();
        LatentGenerator generator = new LatentGenerator(dit, batch);
        points.add(report(Throughput.measure("generate", DJL, batch, minSeconds,
            () -> tokenizer.decode(generator.generate(classes, seeds, new long[batch], generation)))));
      }
    }
    // Measured again at the end: the machine's clock and neighbours drift, and a peak is a maximum.
    peak = Math.max(peak, peakGemm(threads));
    return new Report(flops, peak, DiTRowCounter.rowsPerImage(generation, bundle.generation().nullClass()), generation, points);
  }

  /** Best of square MatMuls of two sizes, ONNX Runtime, this many threads (one run varied 147–203 GFLOP/s). */
  private double peakGemm(int threads) {
    double peak = Math.max(PeakGemm.measureGflops(1024, 10, threads), PeakGemm.measureGflops(2048, 4, threads));
    out.printf("peak GEMM (best of 1024³ and 2048³ MatMuls, ONNX Runtime, %d threads): %.1f GFLOP/s%n", threads, peak);
    return peak;
  }

  private Throughput report(Throughput point) {
    out.printf("  %-8s %-11s batch %3d: %9.2f images/s (%8.1f ms per call, %d calls)%n", point.operation(), point.engine(),
        point.batch(), point.itemsPerSecond(), point.millisecondsPerCall(), point.calls());
    out.flush();
    return point;
  }

  private Map<String, Double> flopsPerImage() {
    double encode = gigaFlops(BundleManifest.ENCODER);
    double decode = gigaFlops(BundleManifest.DECODER);
    double ditRow = gigaFlops(BundleManifest.DIT);
    long rows = DiTRowCounter.rowsPerImage(generation, bundle.generation().nullClass());
    Map<String, Double> flops = new LinkedHashMap<>();
    flops.put("encode", encode);
    flops.put("decode", decode);
    flops.put("dit_row", ditRow);
    flops.put("generate", ditRow * rows + decode);
    return flops;
  }

  private double gigaFlops(String model) {
    return gigaFlops(bundle, model);
  }

  /** FLOPs of one call of {@code model} (a {@link BundleManifest} model name) at batch 1, counted from its graph. */
  static double gigaFlops(ModelBundle bundle, String model) {
    Path file = bundle.directory().resolve(bundle.manifest().models().get(model).file());
    try {
      return FlopCounter.count(Files.readAllBytes(file)).gigaFlops();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private List<SamplingJob> requests(int batch) {
    int classes = bundle.generation().nullClass();
    List<SamplingJob> requests = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      requests.add(SamplingJob.ofClass(i % classes, 1000 + i, 0).withSettings(generation));
    }
    return requests;
  }

  private static float[] randomUnit(int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = (float) random.nextDouble();
    }
    return values;
  }
}
