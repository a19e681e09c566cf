package dev.aligntok.trainer.data;

/**
 * How to read an emoji-datasource package.
 *
 * @param vendor whose images
 * @param labelLevel which field of emoji.json becomes the class label
 * @param includeSkinTones whether skin-tone variants are samples too (same label, same split group
 *     as their base emoji)
 */
public record EmojiOptions(EmojiVendor vendor, LabelLevel labelLevel, boolean includeSkinTones) {
  /** Which emoji.json field is the label. Both are always kept in the sample texts and synonyms. */
  public enum LabelLevel {
    /** 10 labels, e.g. "Smileys &amp; Emotion" (including "Component"). */
    CATEGORY,
    /** 99 labels, e.g. "face-smiling". */
    SUBCATEGORY
  }

  public EmojiOptions {
    if (vendor == null || labelLevel == null) {
      throw new IllegalArgumentException("vendor and labelLevel must be set");
    }
  }

  /** Subcategory labels, skin tones included: the default for tokenizer training. */
  public static EmojiOptions defaults(EmojiVendor vendor) {
    return new EmojiOptions(vendor, LabelLevel.SUBCATEGORY, true);
  }
}
