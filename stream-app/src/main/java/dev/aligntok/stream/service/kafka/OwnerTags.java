package dev.aligntok.stream.service.kafka;

import dev.aligntok.stream.service.config.AuthSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who uploaded an image through {@code POST /v1/tokenize}, carried in the image's metadata (copied
 * onto its latent) as {@value #OWNER_KEY} with {@value #TAG_KEY} = HMAC-SHA256 over the image id and
 * owner under {@code aligntok.tokenize.owner-secret}. The metadata alone would not do: whoever may
 * write the images topic could name any owner. Without the key nobody can make a tag, so an image
 * written to Kafka directly, whatever its metadata says, has no owner (admins only); the HTTP path
 * sets both keys itself and takes no metadata from the caller.
 */
@Singleton
public final class OwnerTags {
  public static final String OWNER_KEY = "aligntok.owner";
  public static final String TAG_KEY = "aligntok.owner-tag";
  private static final String ALGORITHM = "HmacSHA256";
  private static final Logger LOG = LoggerFactory.getLogger(OwnerTags.class);

  private final SecretKeySpec key;

  public OwnerTags(TokenizeSettings settings, AuthSettings auth) {
    byte[] secret;
    if (settings.ownerSecret() != null) {
      secret = settings.ownerSecret().getBytes(StandardCharsets.UTF_8);
    } else {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      if (auth.enabled()) {
        LOG.warn("aligntok.tokenize.owner-secret is not set: images uploaded to this instance can be looked up by"
            + " their callers only while it runs and only when it owns the image's partition; set"
            + " ALIGNTOK_TOKENIZE_OWNER_SECRET (the same on every instance) to fix");
      }
    }
    this.key = new SecretKeySpec(secret, ALGORITHM);
  }

  /** {@code metadata} with the owner and its tag for image {@code id}; unchanged for a null owner. */
  public Map<String, String> tagged(Map<String, String> metadata, String id, String owner) {
    Map<String, String> tagged = new HashMap<>(metadata);
    tagged.remove(OWNER_KEY);
    tagged.remove(TAG_KEY);
    if (owner != null) {
      tagged.put(OWNER_KEY, owner);
      tagged.put(TAG_KEY, tag(id, owner));
    }
    return tagged;
  }

  /** The owner the metadata names, if its tag is this deployment's for {@code id}; else empty (admins only). */
  public Optional<String> verifiedOwner(String id, Map<String, String> metadata) {
    String owner = metadata.get(OWNER_KEY);
    String tag = metadata.get(TAG_KEY);
    if (owner == null || tag == null) {
      return Optional.empty();
    }
    boolean valid = MessageDigest.isEqual(tag(id, owner).getBytes(StandardCharsets.US_ASCII),
        tag.getBytes(StandardCharsets.UTF_8));
    return valid ? Optional.of(owner) : Optional.empty();
  }

  private String tag(String id, String owner) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      // Length-prefixed id, so that no other (id, owner) split of the same characters has this tag.
      mac.update((id.length() + ":" + id + "\n" + owner).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
