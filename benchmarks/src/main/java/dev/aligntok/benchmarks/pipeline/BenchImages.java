package dev.aligntok.benchmarks.pipeline;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.quickstart.SampleImages;
import dev.aligntok.stream.model.DecodedImage;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's images: a few distinct PNG files repeated to the event count, in one fixed order. */
public final class BenchImages {
  private BenchImages() {}

  /** {@code distinct} samples cycled to {@code count} entries. */
  public static List<SampleImages.Sample> cycle(List<SampleImages.Sample> distinct, int count) {
    if (distinct.isEmpty() || count < 1) {
      throw new IllegalArgumentException("need samples and a count >= 1, got " + distinct.size() + " and " + count);
    }
    List<SampleImages.Sample> cycled = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      cycled.add(distinct.get(i % distinct.size()));
    }
    return cycled;
  }

  /** The samples decoded as the topology decodes them (RGB on white); each distinct file is decoded once. */
  public static List<DecodedImage> decode(List<SampleImages.Sample> samples, ImageDecoder decoder) {
    Map<SampleImages.Sample, DecodedImage> byFile = new IdentityHashMap<>();
    List<DecodedImage> decoded = new ArrayList<>(samples.size());
    for (SampleImages.Sample sample : samples) {
      decoded.add(byFile.computeIfAbsent(sample,
          s -> new DecodedImage(s.name(), decoder.decodeRgb(s.png(), s.name()))));
    }
    return decoded;
  }
}
