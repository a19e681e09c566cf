package dev.aligntok.trainer.data;

import java.util.List;

/**
 * One labelled image.
 *
 * @param id unique within its dataset and stable across runs (splits and shuffles hash it)
 * @param groupId samples that must land on the same side of a split (an emoji and its skin-tone
 *     variants); equal to {@code id} when a sample stands alone
 * @param label index into the dataset's {@link dev.aligntok.inference.label.LabelVocabulary}
 * @param labelName the label's name, for reports and prompts
 * @param texts names of this very image for prompts ("father christmas", "santa"), most specific first
 * @param image its pixels
 */
public record Sample(String id, String groupId, int label, String labelName, List<String> texts, ImageSource image) {
  public Sample {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("sample id must not be blank");
    }
    if (groupId == null || groupId.isBlank()) {
      groupId = id;
    }
    if (label < 0) {
      throw new IllegalArgumentException("sample " + id + ": label must be >= 0, got " + label);
    }
    if (image == null) {
      throw new IllegalArgumentException("sample " + id + ": image source must not be null");
    }
    texts = texts == null ? List.of() : List.copyOf(texts);
  }
}
