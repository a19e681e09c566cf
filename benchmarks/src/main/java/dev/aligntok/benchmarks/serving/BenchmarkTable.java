package dev.aligntok.benchmarks.serving;

import java.util.Locale;
import java.util.Optional;

/** The report as a Markdown table: ORT and DJL side by side, their ratio, and ORT's share of peak GEMM. */
final class BenchmarkTable {
  private BenchmarkTable() {}

  static String markdown(RuntimeBenchmark.Report report) {
    StringBuilder table = new StringBuilder();
    table.append(String.format(Locale.ROOT, "Peak GEMM %.1f GFLOP/s. FLOPs per image: encode %.3f G, decode %.3f G, "
            + "generate %.3f G (%d DiT rows: %s).%n%n", report.peakGflops(), report.gflopsPerImage().get("encode"),
        report.gflopsPerImage().get("decode"), report.gflopsPerImage().get("generate"), report.ditRowsPerImage(),
        report.generation()));
    table.append("| operation | batch | ONNX Runtime images/s | DJL images/s | ORT ÷ DJL | ORT GFLOP/s | % of peak |\n");
    table.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Throughput ort : report.points()) {
      if (!ort.engine().equals(RuntimeBenchmark.ORT)) {
        continue;
      }
      Optional<Throughput> djl = report.points().stream()
          .filter(p -> p.engine().equals(RuntimeBenchmark.DJL) && p.operation().equals(ort.operation()) && p.batch() == ort.batch())
          .findFirst();
      double gflops = ort.itemsPerSecond() * report.gflopsPerImage().get(ort.operation());
      table.append(String.format(Locale.ROOT, "| %s | %d | %.2f | %s | %s | %.2f | %.1f %% |%n", ort.operation(), ort.batch(),
          ort.itemsPerSecond(), djl.map(p -> String.format(Locale.ROOT, "%.2f", p.itemsPerSecond())).orElse("—"),
          djl.map(p -> String.format(Locale.ROOT, "%.2f", ort.itemsPerSecond() / p.itemsPerSecond())).orElse("—"),
          gflops, 100 * gflops / report.peakGflops()));
    }
    return table.toString();
  }
}
