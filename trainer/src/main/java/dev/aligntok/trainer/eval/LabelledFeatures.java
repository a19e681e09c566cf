package dev.aligntok.trainer.eval;

import dev.aligntok.trainer.features.FeatureExtractor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Feature rows with their labels, as a linear probe or classifier takes them. */
public record LabelledFeatures(double[][] x, int[] y) {

  /** Runs {@code features} over every batch of a split, in order. */
  public static LabelledFeatures collect(LabelledImages split, int batchSize,
      Function<LabelledImages.LabelledBatch, double[][]> features) {
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    split.forEachBatch(batchSize, batch -> {
      rows.addAll(Arrays.asList(features.apply(batch)));
      Arrays.stream(batch.labels()).forEach(labels::add);
    });
    return new LabelledFeatures(rows.toArray(new double[0][]), labels.stream().mapToInt(Integer::intValue).toArray());
  }

  /** A fixed network's features of a split. */
  public static LabelledFeatures of(FeatureExtractor extractor, LabelledImages split, int batchSize) {
    return collect(split, batchSize, batch -> extractor.extract(batch.images()));
  }
}
