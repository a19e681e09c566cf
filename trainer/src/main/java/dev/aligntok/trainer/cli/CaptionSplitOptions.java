package dev.aligntok.trainer.cli;

import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.trainer.captions.CaptionOptions;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.captions.EmojiCaptions;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.EmojiVendor;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * How captions are split between training and held-out prompts ({@code --caption-split-seed},
 * {@code --caption-held-out-share}), shared by {@code train dit --conditioning text} and
 * {@code eval generation}; unset options take the run's recorded values, else the project's defaults.
 */
final class CaptionSplitOptions {
  @Option(names = "--caption-split-seed", paramLabel = "SEED",
      description = "Text DiTs: seed of the caption split (held-out keywords, each phrase's template); independent of "
          + "--seed, so every run is evaluated on the same held-out phrasings (default: the run's, else "
          + CaptionOptions.DEFAULT_SEED + ").")
  Long splitSeed;

  @Option(names = "--caption-held-out-share", paramLabel = "F",
      description = "Text DiTs: share of emojilib keywords kept out of training for held-out prompts (default: the "
          + "run's, else " + CaptionOptions.DEFAULT_HELD_OUT_SHARE + ").")
  Double heldOutShare;

  @Option(names = "--caption-templates", paramLabel = "USE",
      description = "Text DiTs: 'one' puts each training phrase in the one training template its hash picks (the first "
          + "text DiTs); 'every' puts it in all 10 training templates, so no template marks a "
          + "phrase (about 10x the captions to embed; default: the run's, else one).")
  String templates;

  @Option(names = "--caption-keywords", paramLabel = "SOURCE",
      description = "Text DiTs: training keywords from 'emojilib' (the first text DiTs) or 'emojilib+cldr', adding the "
          + "Unicode CLDR tags of npm emojibase-data (aligntok data fetch --only emojibase); the held-out keywords are "
          + "emojilib's either way and no training caption contains one (default: the run's, else emojilib).")
  String keywords;

  /** These options over {@code recorded} (a run's), over the defaults. */
  CaptionOptions options(CaptionOptions recorded) {
    CaptionOptions base = recorded != null ? recorded : CaptionOptions.defaults();
    return new CaptionOptions(splitSeed != null ? splitSeed : base.splitSeed(),
        heldOutShare != null ? heldOutShare : base.heldOutShare(),
        templates != null ? CaptionOptions.TemplateUse.ofKey(templates) : base.templates(),
        keywords != null ? CaptionOptions.KeywordSource.ofKey(keywords) : base.keywords());
  }

  /** The captions of an emoji dataset ({@code emoji-google} or {@code emoji-twitter}) from the cache. */
  static CaptionSet captions(DataCache cache, String dataset, CaptionOptions options) {
    return EmojiCaptions.load(cache, vendorOf(dataset), options);
  }

  /** The vendor of an emoji dataset name; an error for any other dataset (captions exist only for emoji). */
  static EmojiVendor vendorOf(String dataset) {
    for (EmojiVendor vendor : EmojiVendor.values()) {
      if (("emoji-" + vendor.key()).equals(dataset)) {
        return vendor;
      }
    }
    String shown = dataset == null ? "null" : dataset.length() <= 64 ? dataset : dataset.substring(0, 64) + "…";
    throw new IllegalArgumentException("text conditioning needs captions, which exist for the emoji datasets "
        + "(emoji-google, emoji-twitter) only; these latents are of '" + shown + "'");
  }

  /** The text encoder (all-MiniLM-L6-v2) on the CPU, as the trainer uses it. */
  static TextEncoder openEncoder() {
    return TextEncoder.open(RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)));
  }
}
