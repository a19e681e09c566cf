package dev.aligntok.stream.webhook;

import java.util.Arrays;
import java.util.Base64;

/**
 * The per-deployment signing key in the Standard Webhooks form {@code whsec_<base64>}. Its bytes
 * never leave this class except into the signer, and {@link #toString()} does not show them.
 */
public final class WebhookSecret {
  public static final String PREFIX = "whsec_";
  /** Standard Webhooks keys are 24 to 64 random bytes; fewer is too easy to guess. */
  public static final int MIN_BYTES = 24;
  public static final int MAX_BYTES = 64;

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    this.key = key;
  }

  /**
   * Parses {@code text}; the messages name {@code configKey} and what is wrong, never the value.
   *
   * @throws IllegalArgumentException when it is missing, not {@code whsec_<base64>}, or of the wrong length
   */
  public static WebhookSecret parse(String configKey, String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(configKey + " is not set: webhooks need a signing secret of the form "
          + PREFIX + "<base64 of " + MIN_BYTES + " to " + MAX_BYTES + " random bytes> (e.g. from `openssl rand -base64 32`)");
    }
    if (!text.startsWith(PREFIX)) {
      throw new IllegalArgumentException(configKey + " must start with " + PREFIX + " (Standard Webhooks form)");
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(text.substring(PREFIX.length()).trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(configKey + " is not " + PREFIX + "<base64>: the part after the prefix is not base64");
    }
    if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
      throw new IllegalArgumentException(configKey + " holds " + key.length + " bytes; it needs " + MIN_BYTES + " to "
          + MAX_BYTES + " random bytes");
    }
    return new WebhookSecret(key);
  }

  byte[] key() {
    return Arrays.copyOf(key, key.length);
  }

  @Override
  public String toString() {
    return PREFIX + "(" + key.length + " bytes, hidden)";
  }
}
