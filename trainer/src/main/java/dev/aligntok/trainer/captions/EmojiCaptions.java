package dev.aligntok.trainer.captions;

import dev.aligntok.inference.text.CaptionPhrases;

import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.DatasetCatalog;
import dev.aligntok.trainer.data.EmojiDataset;
import dev.aligntok.trainer.data.EmojiOptions;
import dev.aligntok.trainer.data.EmojiVendor;
import dev.aligntok.trainer.data.StableHash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the {@link CaptionSet} of an emoji dataset: emoji.json's names and short names (per image,
 * skin tones included) and emojilib's keywords (per base emoji) become phrases; each phrase goes
 * into one training template chosen by its hash (or into every training template, as
 * {@link CaptionOptions#templates()} says), and every image also gets its class's caption.
 * Optionally the CLDR tags of emojibase-data add phrases ({@link CaptionOptions#keywords()}); the
 * held-out keywords are always chosen among emojilib's, so the evaluation prompts stay the same.
 * Held-out keywords ({@link KeywordSplit}) and the {@link CaptionTemplates#EVAL} templates make
 * the evaluation prompts. Everything is ordered by emoji.json's sort order or by text, so two
 * builds from the same files are equal.
 */
public final class EmojiCaptions {
  /** Keeps the template choice apart from the keyword split's hash stream. */
  private static final long TEMPLATE_SALT = 0x74656d70L;

  private EmojiCaptions() {}

  /**
   * The captions of {@code emoji-<vendor>} from the cache; an error naming the fetch command when
   * the emoji package or emojilib is missing.
   */
  public static CaptionSet load(DataCache cache, EmojiVendor vendor, CaptionOptions options) {
    Path emojiDir = DatasetCatalog.require(cache,
        vendor == EmojiVendor.GOOGLE ? DataSources.EMOJI_GOOGLE : DataSources.EMOJI_TWITTER);
    Path emojilibDir = DatasetCatalog.require(cache, DataSources.EMOJILIB);
    EmojiKeywords cldr = options.keywords() == CaptionOptions.KeywordSource.EMOJILIB_AND_CLDR
        ? EmojiKeywords.readCldr(DatasetCatalog.require(cache, DataSources.EMOJIBASE)) : null;
    return build(EmojiDataset.entries(emojiDir, EmojiOptions.defaults(vendor), "emoji-" + vendor.key()),
        EmojiKeywords.read(emojilibDir), cldr, options);
  }

  /**
   * Captions for the entries that become images (usable metadata, drawn by the vendor); classes
   * are subcategories, as in {@link EmojiOptions.LabelLevel#SUBCATEGORY}.
   */
  public static CaptionSet build(List<EmojiDataset.Entry> entries, EmojiKeywords keywords, CaptionOptions options) {
    return build(entries, keywords, null, options);
  }

  /**
   * As {@link #build(List, EmojiKeywords, CaptionOptions)}, with the CLDR tags that
   * {@link CaptionOptions.KeywordSource#EMOJILIB_AND_CLDR} adds (null for {@code emojilib}).
   */
  public static CaptionSet build(List<EmojiDataset.Entry> entries, EmojiKeywords keywords, EmojiKeywords cldr,
      CaptionOptions options) {
    if ((cldr != null) != (options.keywords() == CaptionOptions.KeywordSource.EMOJILIB_AND_CLDR)) {
      throw new IllegalArgumentException("caption keywords " + options.keywords().key() + " need "
          + (cldr == null ? "the CLDR tags" : "no CLDR tags"));
    }
    List<EmojiDataset.Entry> images = entries.stream()
        .filter(entry -> entry.problem() == null && entry.hasVendorImage())
        .toList();
    Map<String, List<String>> keywordsByGroup = new HashMap<>();
    Map<String, Set<String>> classesByKeyword = new HashMap<>();
    Set<String> reserved = new TreeSet<>();
    for (EmojiDataset.Entry image : images) {
      List<String> groupKeywords = keywordsByGroup.computeIfAbsent(image.groupId(), keywords::of);
      groupKeywords.forEach(keyword -> classesByKeyword.computeIfAbsent(keyword, k -> new TreeSet<>())
          .add(image.subcategory()));
      names(image).forEach(reserved::add);
      // emojilib lists the emoji's own slug first ("flag_switzerland"): a name, not a keyword to hold out.
      if (!groupKeywords.isEmpty()) {
        reserved.add(groupKeywords.get(0));
      }
      reserved.add(CaptionPhrases.ofClass(image.subcategory()));
    }
    Map<String, String> heldOut = KeywordSplit.heldOut(classesByKeyword, reserved, options);

    Captions captions = new Captions();
    Map<String, Integer> classCaptions = new LinkedHashMap<>();
    List<ImageCaptions> imageCaptions = new ArrayList<>();
    for (EmojiDataset.Entry image : images) {
      int classCaption = classCaptions.computeIfAbsent(image.subcategory(),
          name -> captions.add(CaptionTemplates.apply(CaptionTemplates.CLASS, CaptionPhrases.ofClass(name))));
      Set<String> phrases = new LinkedHashSet<>(names(image));
      keywordsByGroup.get(image.groupId()).stream().filter(keyword -> !heldOut.containsKey(keyword))
          .forEach(phrases::add);
      if (cldr != null) {  // a tag equal to a held-out keyword would put it into training
        cldr.of(image.groupId()).stream().filter(tag -> !heldOut.containsKey(tag)).forEach(phrases::add);
      }
      Set<Integer> indices = new LinkedHashSet<>();
      indices.add(classCaption);
      phrases.forEach(phrase -> trainingCaptions(phrase, options).forEach(caption -> indices.add(captions.add(caption))));
      // An emoji without a usable name (or whose only phrase gave the class caption) still gets two:
      // its first phrase, else its class phrase, in the other templates.
      String fallback = phrases.isEmpty() ? CaptionPhrases.ofClass(image.subcategory()) : phrases.iterator().next();
      for (int t = 0; indices.size() < 2 && t < CaptionTemplates.TRAINING.size(); t++) {
        indices.add(captions.add(CaptionTemplates.apply(CaptionTemplates.TRAINING.get(t), fallback)));
      }
      imageCaptions.add(new ImageCaptions(image.id(), image.subcategory(), List.copyOf(indices)));
    }
    List<EvalPrompt> evalPrompts = EvalPrompts.of(heldOut, images, captions.texts());
    return new CaptionSet(captions.list(), imageCaptions, classCaptions, evalPrompts, heldOut.keySet());
  }

  /** An image's name and short names as phrases (skin tones included for variants). */
  static List<String> names(EmojiDataset.Entry image) {
    return image.texts().stream().map(CaptionPhrases::of).filter(phrase -> phrase != null).distinct().toList();
  }

  /** A phrase's training captions: in its hashed template, or in every training template. */
  static List<String> trainingCaptions(String phrase, CaptionOptions options) {
    if (options.templates() == CaptionOptions.TemplateUse.ONE) {
      return List.of(trainingCaption(phrase, options.splitSeed()));
    }
    return CaptionTemplates.ALL_TRAINING.stream().map(template -> CaptionTemplates.apply(template, phrase)).toList();
  }

  /** A phrase in the training template its hash picks: the same for every image that has it. */
  static String trainingCaption(String phrase, long seed) {
    long hash = StableHash.of(seed, TEMPLATE_SALT, phrase);
    int template = (int) Long.remainderUnsigned(hash, CaptionTemplates.TRAINING.size());
    return CaptionTemplates.apply(CaptionTemplates.TRAINING.get(template), phrase);
  }

  /** Distinct captions in order of first use. */
  private static final class Captions {
    private final Map<String, Integer> indices = new LinkedHashMap<>();

    int add(String caption) {
      return indices.computeIfAbsent(caption, c -> indices.size());
    }

    List<String> list() {
      return List.copyOf(indices.keySet());
    }

    Set<String> texts() {
      return indices.keySet();
    }
  }
}
