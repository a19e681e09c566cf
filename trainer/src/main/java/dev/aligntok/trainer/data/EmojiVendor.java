package dev.aligntok.trainer.data;

/** The emoji image sets we may use (Apple's is not licensed for this). */
public enum EmojiVendor {
  /** npm emoji-datasource-google, Apache-2.0. */
  GOOGLE("google"),
  /** npm emoji-datasource-twitter (Twemoji), CC-BY-4.0. */
  TWITTER("twitter");

  private final String key;

  EmojiVendor(String key) {
    this.key = key;
  }

  /** "google" or "twitter": the img/ sub-folder and the has_img_ suffix in emoji.json. */
  public String key() {
    return key;
  }

  /** The npm package that holds this vendor's images. */
  public String npmPackage() {
    return "emoji-datasource-" + key;
  }
}
