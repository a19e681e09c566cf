package dev.aligntok.trainer.captions;

/**
 * How captions are split between training and evaluation, and how training phrases meet templates.
 *
 * @param splitSeed seeds the choice of held-out keywords and of each phrase's training template;
 *     independent of the training seed, so every run is evaluated on the same prompts
 * @param heldOutShare the share of eligible keywords kept for evaluation only, in [0, 1)
 * @param templates how many training templates each phrase is captioned in
 * @param keywords where training keywords come from (the held-out keywords are emojilib's either way)
 */
public record CaptionOptions(long splitSeed, double heldOutShare, TemplateUse templates, KeywordSource keywords) {
  /** Where training keywords come from. */
  public enum KeywordSource {
    /** emojilib's keywords (the first text DiTs). */
    EMOJILIB("emojilib"),
    /**
     * emojilib's, plus the Unicode CLDR annotation tags of emojibase-data: more words per emoji. A tag
     * equal to a held-out keyword is left out, so held-out keywords stay out of every training caption.
     */
    EMOJILIB_AND_CLDR("emojilib+cldr");

    private final String key;

    KeywordSource(String key) {
      this.key = key;
    }

    /** The name the CLI and {@code captions.json} use. */
    public String key() {
      return key;
    }

    /** The source of a {@link #key()}; an error naming the choices for any other text. */
    public static KeywordSource ofKey(String key) {
      for (KeywordSource source : values()) {
        if (source.key.equals(key)) {
          return source;
        }
      }
      throw new IllegalArgumentException("caption keywords must be emojilib or emojilib+cldr, got " + shown(key));
    }
  }

  /** How training phrases are put into templates; the held-out prompts are the same either way. */
  public enum TemplateUse {
    /** Each phrase in the one {@link CaptionTemplates#TRAINING} template its hash picks (the first text DiTs). */
    ONE,
    /**
     * Each phrase in every {@link CaptionTemplates#TRAINING} and {@link CaptionTemplates#TRAINING_EXTRA}
     * template, so no template marks a phrase and a DiT learns to read the phrase whatever wraps it.
     */
    EVERY;

    /** The lower-case name the CLI and {@code captions.json} use. */
    public String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The use of a {@link #key()}; an error naming the choices for any other text. */
    public static TemplateUse ofKey(String key) {
      for (TemplateUse use : values()) {
        if (use.key().equals(key)) {
          return use;
        }
      }
      throw new IllegalArgumentException("caption templates must be one or every, got " + shown(key));
    }
  }
  /** The split the project's runs and reports use. */
  public static final long DEFAULT_SEED = 19;
  public static final double DEFAULT_HELD_OUT_SHARE = 0.25;

  public CaptionOptions {
    if (templates == null || keywords == null) {
      throw new IllegalArgumentException("caption options need a template use and a keyword source, got " + templates
          + " and " + keywords);
    }
    if (!(heldOutShare >= 0 && heldOutShare < 1)) {
      throw new IllegalArgumentException("held-out keyword share must be in [0, 1), got " + heldOutShare);
    }
  }

  /** Caller text for an error message: quoted, cut to 32 characters. */
  private static String shown(String key) {
    return key == null ? "'null'" : "'" + (key.length() <= 32 ? key : key.substring(0, 32) + "…") + "'";
  }

  /** The split of the project's runs, each phrase in its one hashed template (as the first text DiTs). */
  public static CaptionOptions defaults() {
    return new CaptionOptions(DEFAULT_SEED, DEFAULT_HELD_OUT_SHARE, TemplateUse.ONE, KeywordSource.EMOJILIB);
  }

  /** The same split with another template use. */
  public CaptionOptions withTemplates(TemplateUse use) {
    return new CaptionOptions(splitSeed, heldOutShare, use, keywords);
  }

  /** The same split with another keyword source. */
  public CaptionOptions withKeywords(KeywordSource source) {
    return new CaptionOptions(splitSeed, heldOutShare, templates, source);
  }
}
