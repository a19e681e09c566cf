package dev.aligntok.stream.service.kafka;

import dev.aligntok.stream.generate.RequestOwners;
import dev.aligntok.stream.service.config.AuthSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof of who submitted through the HTTP API, which whoever may write the input topics cannot
 * forge: HMAC-SHA256 over the id and owner under {@code aligntok.tokenize.owner-secret}.
 *
 * <p>An image uploaded through {@code POST /v1/tokenize} carries it in its metadata (copied onto
 * its latent) as {@value #OWNER_KEY} with {@value #TAG_KEY}. Without the key nobody can make a tag,
 * so an image written to Kafka directly, whatever its metadata says, has no owner (admins only);
 * the HTTP path sets both keys itself and takes no metadata from the caller.
 *
 * <p>A generation request carries it in {@code ownerTag} ({@link #requestTag}), with its own domain
 * so that an image's tag is never a request's. The pipeline keeps a request's owner only with a valid
 * tag ({@link #requestOwners}) — when the secret is set; without it each pod would have its own key
 * and could not check another's tags, so owners are taken as written (as before tags existed).
 *
 * <p>Tags are made under the owner secret and accepted under it or under
 * {@code aligntok.tokenize.previous-owner-secret}, so that the secret can be rotated without the
 * latents and requests signed under the old one losing their owners.
 */
@Singleton
public final class OwnerTags {
  public static final String OWNER_KEY = "aligntok.owner";
  public static final String TAG_KEY = "aligntok.owner-tag";
  private static final String ALGORITHM = "HmacSHA256";
  private static final Logger LOG = LoggerFactory.getLogger(OwnerTags.class);

  /** Prefix of a request tag's message; an image tag's starts with a digit, so the two never meet. */
  private static final String REQUEST_DOMAIN = "generation-request\n";

  private final SecretKeySpec key;
  /** Keys whose tags are accepted: {@link #key} first, then the previous secret's, if set. */
  private final List<SecretKeySpec> accepted;
  private final boolean shared;

  public OwnerTags(TokenizeSettings settings, AuthSettings auth) {
    byte[] secret;
    this.shared = settings.ownerSecret() != null;
    if (shared) {
      secret = settings.ownerSecret().getBytes(StandardCharsets.UTF_8);
    } else {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      if (auth.enabled()) {
        LOG.warn("aligntok.tokenize.owner-secret is not set: images uploaded to this instance can be looked up by"
            + " their callers only while it runs and only when it owns the image's partition, and generation"
            + " requests written to Kafka may name any owner; set ALIGNTOK_TOKENIZE_OWNER_SECRET (the same on every"
            + " instance) to fix");
      }
    }
    this.key = new SecretKeySpec(secret, ALGORITHM);
    this.accepted = settings.previousOwnerSecret() == null ? List.of(key)
        : List.of(key, new SecretKeySpec(settings.previousOwnerSecret().getBytes(StandardCharsets.UTF_8), ALGORITHM));
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
    return accepts(tag, "", id, owner) ? Optional.of(owner) : Optional.empty();
  }

  /** The {@code ownerTag} for generation request {@code id} submitted by {@code owner}. */
  public String requestTag(String id, String owner) {
    return tag(key, REQUEST_DOMAIN, id, owner);
  }

  /**
   * The pipeline's rule for a request's owner: with the owner secret set, the owner only with a
   * valid {@code ownerTag}, else none (admins only); without it, the owner as written.
   */
  public RequestOwners requestOwners() {
    if (!shared) {
      return RequestOwners.AS_WRITTEN;
    }
    return request -> {
      String owner = request.getOwner();
      if (owner == null || request.getId() == null) {
        return null;
      }
      boolean proven = request.getOwnerTag() != null && accepts(request.getOwnerTag(), REQUEST_DOMAIN, request.getId(), owner);
      return proven ? owner : null;
    };
  }

  /** Whether {@code given} is the tag of (domain, id, owner) under one of the accepted keys. */
  private boolean accepts(String given, String domain, String id, String owner) {
    byte[] givenBytes = given.getBytes(StandardCharsets.UTF_8);
    boolean accepted = false;
    for (SecretKeySpec candidate : this.accepted) {
      // every key is tried, so the time taken does not say which one matched
      accepted |= MessageDigest.isEqual(tag(candidate, domain, id, owner).getBytes(StandardCharsets.US_ASCII), givenBytes);
    }
    return accepted;
  }

  private String tag(String id, String owner) {
    return tag(key, "", id, owner);
  }

  private static String tag(SecretKeySpec key, String domain, String id, String owner) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      // Length-prefixed id, so that no other (id, owner) split of the same characters has this tag.
      mac.update((domain + id.length() + ":" + id + "\n" + owner).getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e);
    }
  }
}
