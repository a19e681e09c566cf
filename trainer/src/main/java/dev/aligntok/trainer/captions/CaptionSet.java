package dev.aligntok.trainer.captions;

import dev.aligntok.trainer.data.StableHash;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The captions of a dataset: the distinct training captions (embed them once, by index), each
 * image's captions as indices into that list, each class's own caption, and the held-out
 * evaluation prompts. Immutable; built by {@link EmojiCaptions}.
 *
 * <p>{@link #draw} picks an image's caption for a training step from the hash of (seed, step,
 * image id) alone, so a resumed run draws exactly what an uninterrupted one would.
 */
public final class CaptionSet {
  /** Caller text in error messages is cut to this. */
  private static final int MAX_ECHO = 64;

  private final List<String> trainingCaptions;
  private final Map<String, Integer> indexByCaption;
  private final Map<String, ImageCaptions> byImage;
  private final Map<String, Integer> classCaptions;
  private final List<EvalPrompt> evalPrompts;
  private final Set<String> heldOutKeywords;

  CaptionSet(List<String> trainingCaptions, List<ImageCaptions> images, Map<String, Integer> classCaptions,
      List<EvalPrompt> evalPrompts, Set<String> heldOutKeywords) {
    this.trainingCaptions = List.copyOf(trainingCaptions);
    this.indexByCaption = new LinkedHashMap<>();
    for (int i = 0; i < this.trainingCaptions.size(); i++) {
      indexByCaption.put(this.trainingCaptions.get(i), i);
    }
    this.byImage = new LinkedHashMap<>();
    images.forEach(image -> byImage.put(image.imageId(), image));
    this.classCaptions = new LinkedHashMap<>(classCaptions);
    this.evalPrompts = List.copyOf(evalPrompts);
    this.heldOutKeywords = Set.copyOf(heldOutKeywords);
  }

  /** Every distinct training caption, in a fixed order; indices below point into it. */
  public List<String> trainingCaptions() {
    return trainingCaptions;
  }

  public String caption(int index) {
    return trainingCaptions.get(index);
  }

  /** The index of a training caption, empty when it is not one. */
  public OptionalInt indexOf(String caption) {
    Integer index = indexByCaption.get(caption);
    return index == null ? OptionalInt.empty() : OptionalInt.of(index);
  }

  /** The images with captions, in dataset order. */
  public List<ImageCaptions> images() {
    return List.copyOf(byImage.values());
  }

  /** One image's captions. */
  public ImageCaptions of(String imageId) {
    ImageCaptions image = byImage.get(imageId);
    if (image == null) {
      throw new IllegalArgumentException("no captions for image '" + cut(imageId) + "' (" + byImage.size()
          + " images have captions; ids are emoji code points such as 1F600)");
    }
    return image;
  }

  /**
   * The caption of {@code imageId} at training step {@code step}, as an index into
   * {@link #trainingCaptions()}: uniform over the image's captions, a function of (seed, step, id) only.
   */
  public int draw(String imageId, long seed, long step) {
    List<Integer> captions = of(imageId).captions();
    long hash = StableHash.of(seed, step, imageId);
    return captions.get((int) Long.remainderUnsigned(hash, captions.size()));
  }

  /** {@link #draw} for every image of a batch. */
  public int[] draw(List<String> imageIds, long seed, long step) {
    return imageIds.stream().mapToInt(id -> draw(id, seed, step)).toArray();
  }

  /** The classes, in order of first appearance. */
  public List<String> classes() {
    return List.copyOf(classCaptions.keySet());
  }

  /** The index of a class's own caption ("an emoji of face smiling"), for requests by class id. */
  public int classCaption(String className) {
    Integer index = classCaptions.get(className);
    if (index == null) {
      throw new IllegalArgumentException("unknown class '" + cut(className) + "'; " + classCaptions.size()
          + " classes have captions");
    }
    return index;
  }

  /** Every held-out prompt, ordered by kind, then text. */
  public List<EvalPrompt> evalPrompts() {
    return evalPrompts;
  }

  /**
   * {@code count} held-out prompts in a seeded order that ignores the list's order (all of them
   * when {@code count} is at least their number).
   */
  public List<EvalPrompt> evalSubset(int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("an eval subset needs a count >= 0, got " + count);
    }
    return evalPrompts.stream()
        .sorted(Comparator.<EvalPrompt>comparingLong(prompt -> StableHash.of(seed, prompt.text()))
            .thenComparing(EvalPrompt::text))
        .limit(count)
        .toList();
  }

  /** Keywords used only by evaluation prompts. */
  public Set<String> heldOutKeywords() {
    return heldOutKeywords;
  }

  /** Counts for {@code aligntok data info}. */
  public String summary() {
    int captionsOfImages = byImage.values().stream().mapToInt(image -> image.captions().size()).sum();
    Map<EvalPrompt.Kind, Long> byKind = evalPrompts.stream()
        .collect(Collectors.groupingBy(EvalPrompt::kind, () -> new EnumMap<>(EvalPrompt.Kind.class),
            Collectors.counting()));
    return String.format(Locale.ROOT, "%d images, %d classes, %d distinct training captions (%.1f per image);"
            + " %d held-out prompts %s from %d held-out keywords and %d held-out templates",
        byImage.size(), classCaptions.size(), trainingCaptions.size(),
        byImage.isEmpty() ? 0.0 : (double) captionsOfImages / byImage.size(), evalPrompts.size(), byKind,
        heldOutKeywords.size(), CaptionTemplates.EVAL.size());
  }

  private static String cut(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
  }
}
