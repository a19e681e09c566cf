package dev.aligntok.trainer.data;

import dev.aligntok.inference.label.LabelVocabulary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What every reader returns: the samples that could be read, the label vocabulary they index, and
 * the report of what was skipped.
 *
 * @param name e.g. "emoji-google", "mnist-train", or a folder's name
 */
public record ImageDataset(String name, List<Sample> samples, LabelVocabulary labels, SkippedImagesReport skipped) {
  public ImageDataset {
    samples = List.copyOf(samples);
    for (Sample sample : samples) {
      if (sample.label() >= labels.size()) {
        throw new IllegalArgumentException("dataset " + name + ": sample " + sample.id() + " has label "
            + sample.label() + " but the vocabulary has " + labels.size() + " labels");
      }
    }
  }

  public int size() {
    return samples.size();
  }

  /** The same dataset restricted to other samples (a split), keeping vocabulary and report. */
  public ImageDataset withSamples(String newName, List<Sample> subset) {
    return new ImageDataset(newName, subset, labels, skipped);
  }

  /** Sample count per label name, sorted by name. */
  public Map<String, Integer> countsByLabel() {
    Map<String, Integer> counts = new TreeMap<>();
    samples.forEach(sample -> counts.merge(sample.labelName(), 1, Integer::sum));
    return counts;
  }
}
