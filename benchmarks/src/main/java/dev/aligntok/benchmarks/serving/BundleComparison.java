package dev.aligntok.benchmarks.serving;

import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.runtime.SamplingJob;
import dev.aligntok.inference.sampling.SamplerSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generation throughput of two bundles at equal steps, measured in alternation (A B A B … for
 * several rounds, each at least one call and {@code minSeconds}) so that the machine's drift and
 * neighbours hit both alike; the ratio B ÷ A of one run is the result, not either absolute rate. A text-conditioned bundle gets free-text prompts
 * (their embedding is part of its generate call, as in the service), a class bundle class ids.
 */
public final class BundleComparison {
  /** Free-text prompts of 2–8 words, cycled through a batch: the service's case for a text bundle. */
  static final List<String> PROMPTS = List.of("a smiling cat wearing sunglasses", "red heart", "a rocket flying to the moon",
      "a sad face with tears", "green tree", "a yellow star on a blue sky", "thumbs up", "a pizza slice with cheese");

  private final ModelBundle a;
  private final ModelBundle b;
  private final double minSeconds;
  private final int rounds;
  private final PrintWriter out;

  public BundleComparison(ModelBundle a, ModelBundle b, double minSeconds, int rounds, PrintWriter out) {
    this.a = a;
    this.b = b;
    this.minSeconds = minSeconds;
    this.rounds = rounds;
    this.out = out;
  }

  /** One steps × batch point: each bundle's rate per round and over all rounds. */
  public record Point(int steps, int batch, List<Throughput> roundsA, List<Throughput> roundsB) {
    public double imagesPerSecondA() {
      return overall(roundsA);
    }

    public double imagesPerSecondB() {
      return overall(roundsB);
    }

    /** B ÷ A over all rounds (total images over total seconds of each). */
    public double ratio() {
      return imagesPerSecondB() / imagesPerSecondA();
    }

    /** Median of the per-round ratios: robust to one round a neighbour disturbed. */
    public double medianRoundRatio() {
      double[] ratios = new double[roundsA.size()];
      for (int i = 0; i < ratios.length; i++) {
        ratios[i] = roundsB.get(i).itemsPerSecond() / roundsA.get(i).itemsPerSecond();
      }
      Arrays.sort(ratios);
      int mid = ratios.length / 2;
      return ratios.length % 2 == 1 ? ratios[mid] : (ratios[mid - 1] + ratios[mid]) / 2;
    }

    /**
     * B's fastest round over A's fastest: on a shared machine the least disturbed round of each
     * is closest to what the models cost, whatever the neighbours did in between.
     */
    public double bestRoundRatio() {
      return best(roundsB) / best(roundsA);
    }

    static double best(List<Throughput> rounds) {
      return rounds.stream().mapToDouble(Throughput::itemsPerSecond).max().orElseThrow();
    }

    private static double overall(List<Throughput> rounds) {
      double items = rounds.stream().mapToDouble(t -> (double) t.batch() * t.calls()).sum();
      return items / rounds.stream().mapToDouble(Throughput::seconds).sum();
    }
  }

  /** Every steps × batch point, in that order, each measured in {@code rounds} alternations. */
  public List<Point> run(List<Integer> steps, List<Integer> batchSizes) {
    List<Point> points = new ArrayList<>();
    for (int step : steps) {
      for (int batch : batchSizes) {
        // A's sampler defaults for both (solver, shift, guidance): only the DiT and its conditioning differ.
        SamplerSettings settings = a.generation().defaults().withSteps(step);
        List<SamplingJob> jobsA = jobs(a, batch, settings);
        List<SamplingJob> jobsB = jobs(b, batch, settings);
        a.generation().generate(jobsA); // warm-up once per point; the rounds below are all timed
        b.generation().generate(jobsB);
        List<Throughput> roundsA = new ArrayList<>();
        List<Throughput> roundsB = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          roundsA.add(Throughput.timed("generate", "A", batch, minSeconds, 1, () -> a.generation().generate(jobsA)));
          roundsB.add(Throughput.timed("generate", "B", batch, minSeconds, 1, () -> b.generation().generate(jobsB)));
          out.printf("  steps %3d batch %3d round %d: A %7.2f images/s, B %7.2f images/s%n", step, batch, round + 1,
              roundsA.get(round).itemsPerSecond(), roundsB.get(round).itemsPerSecond());
          out.flush();
        }
        Point point = new Point(step, batch, roundsA, roundsB);
        out.printf("steps %3d batch %3d: A %.2f, B %.2f images/s, B ÷ A %.3f (median of rounds %.3f, best rounds %.3f)%n",
            step, batch, point.imagesPerSecondA(), point.imagesPerSecondB(), point.ratio(), point.medianRoundRatio(),
            point.bestRoundRatio());
        points.add(point);
      }
    }
    return points;
  }

  /** The same seeds for both bundles; prompts for a text bundle, class ids (cycled) for a class bundle. */
  private static List<SamplingJob> jobs(ModelBundle bundle, int batch, SamplerSettings settings) {
    List<SamplingJob> jobs = new ArrayList<>();
    for (int i = 0; i < batch; i++) {
      SamplingJob job = bundle.generation().textConditioned()
          ? SamplingJob.ofPrompt(PROMPTS.get(i % PROMPTS.size()), 1000 + i, 0)
          : SamplingJob.ofClass(i % bundle.generation().nullClass(), 1000 + i, 0);
      jobs.add(job.withSettings(settings));
    }
    return jobs;
  }
}
