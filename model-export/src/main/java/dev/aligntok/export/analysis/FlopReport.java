package dev.aligntok.export.analysis;

import java.util.Map;

/** FLOPs per image of one ONNX graph, in total and by counted op type (2 FLOPs per multiply-add). */
public record FlopReport(String graph, Map<String, Long> byOpType) {
  public FlopReport {
    byOpType = Map.copyOf(byOpType);
  }

  public long total() {
    return byOpType.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Total in GFLOPs, for reports. */
  public double gigaFlops() {
    return total() / 1e9;
  }
}
