package dev.aligntok.trainer.captions;

import dev.aligntok.trainer.data.StableHash;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses the keywords kept for evaluation. The choice is made per keyword text, not per emoji, so a
 * held-out keyword appears in no training caption at all. A keyword is eligible only when it points
 * to one class (else its prompt would have no single class to check) and is not a name, short name,
 * emojilib slug or class phrase (those always train); of the eligible ones, those whose hash of
 * (split seed, keyword) falls below the share are held out — the same ones on every machine and run.
 */
final class KeywordSplit {
  /** Keeps this hash stream apart from the template choice's. */
  static final long SALT = 0x6b657977L;

  private KeywordSplit() {}

  /**
   * @param classesByKeyword every keyword and the classes of the emoji that carry it
   * @param reserved phrases that must stay in training
   * @return the held-out keywords and their class, sorted
   */
  static Map<String, String> heldOut(Map<String, Set<String>> classesByKeyword, Set<String> reserved,
      CaptionOptions options) {
    Map<String, String> heldOut = new TreeMap<>();
    classesByKeyword.forEach((keyword, classes) -> {
      if (classes.size() == 1 && !reserved.contains(keyword)
          && StableHash.unit(StableHash.of(options.splitSeed(), SALT, keyword)) < options.heldOutShare()) {
        heldOut.put(keyword, classes.iterator().next());
      }
    });
    return heldOut;
  }
}
