package dev.aligntok.trainer.latents;

import dev.aligntok.inference.io.Sha256;
import dev.aligntok.trainer.data.ImageDataset;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.data.SkippedImagesReport;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The images to encode, in the order their latents are stored (no shuffling), and where they came
 * from.
 *
 * @param dataset the dataset's name
 * @param split which part of it ({@code train}, {@code held-out}, {@code all}, or any name)
 * @param samples the images, ids unique
 * @param labelNames the label vocabulary: {@code labels[i]} of a latent names {@code labelNames.get(labels[i])}
 * @param labelSynonyms other names of labels (prompts), by label name; may be empty
 * @param readerSkipped what the dataset reader already left out (listed with the extraction's own
 *     skips, but not counted in {@code samples}); null when there is no such report
 */
public record ExtractionInput(String dataset, String split, List<Sample> samples, List<String> labelNames,
    Map<String, List<String>> labelSynonyms, SkippedImagesReport readerSkipped) {
  public ExtractionInput {
    samples = List.copyOf(samples);
    labelNames = List.copyOf(labelNames);
    labelSynonyms = labelSynonyms == null ? Map.of() : Map.copyOf(labelSynonyms);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no images to encode in " + dataset + " (" + split + ")");
    }
    Set<String> ids = new HashSet<>();
    for (Sample sample : samples) {
      if (!ids.add(sample.id())) {
        throw new IllegalArgumentException("sample id " + sample.id() + " occurs twice in " + dataset + " (" + split
            + "): the index maps ids to rows, so they must be unique");
      }
      if (sample.label() >= labelNames.size()) {
        throw new IllegalArgumentException("sample " + sample.id() + " has label " + sample.label() + " but there are "
            + labelNames.size() + " label names");
      }
    }
  }

  /** A split of a dataset read by one of the readers ({@link dev.aligntok.trainer.data.DatasetCatalog}). */
  public static ExtractionInput of(ImageDataset dataset, String split, List<Sample> samples) {
    return new ExtractionInput(dataset.name(), split, samples, dataset.labels().names(),
        dataset.labels().synonymsByName(), dataset.skipped());
  }

  /** SHA-256 over the ids and labels in order and the label names: what identifies the input. */
  public String sha256() {
    StringBuilder text = new StringBuilder();
    labelNames.forEach(name -> text.append("label\t").append(name).append('\n'));
    samples.forEach(sample -> text.append(sample.id()).append('\t').append(sample.label()).append('\n'));
    return Sha256.of(text.toString());
  }
}
