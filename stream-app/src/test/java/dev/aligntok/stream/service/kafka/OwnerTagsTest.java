package dev.aligntok.stream.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.LatentDType;
import dev.aligntok.stream.generate.RequestOwners;
import dev.aligntok.stream.service.config.AuthSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OwnerTagsTest {
  private static final String SECRET = "an-owner-secret-of-at-least-32-bytes!";

  private static final String NEW_SECRET = "the-owner-secret-after-the-rotation!!";

  private static OwnerTags tags(String secret) {
    return tags(secret, null);
  }

  private static OwnerTags tags(String secret, String previous) {
    return new OwnerTags(settings(secret, previous),
        new AuthSettings(true, List.of("a-key"), null, null, null, null, null, null));
  }

  private static TokenizeSettings settings(String secret, String previous) {
    return new TokenizeSettings(true, 8, Duration.ofMillis(100), 1_000_000, 1024, 1024, 1_000_000,
        LatentDType.F32, 10_000_000, null, null, secret, previous);
  }

  private static GenerationRequest request(String id, String owner, String tag) {
    return GenerationRequest.newBuilder().setId(id).setClassId(1).setOwner(owner).setOwnerTag(tag).build();
  }

  @Test
  void withASharedSecretARequestKeepsItsOwnerOnlyWithItsOwnTag() {
    OwnerTags owners = tags(SECRET);
    RequestOwners rule = owners.requestOwners();
    String tag = owners.requestTag("req-1", "key:alice");
    assertEquals("key:alice", rule.ownerOf(request("req-1", "key:alice", tag)));
    assertEquals("key:alice", tags(SECRET).requestOwners().ownerOf(request("req-1", "key:alice", tag)),
        "another pod with the same secret agrees");

    assertNull(rule.ownerOf(request("req-1", "key:alice", null)), "no tag: written to Kafka directly");
    assertNull(rule.ownerOf(request("req-1", "key:alice", "forged")));
    assertNull(rule.ownerOf(request("req-2", "key:alice", tag)), "a tag is for one id");
    assertNull(rule.ownerOf(request("req-1", "key:mallory", tag)), "and for one owner");
    assertNull(rule.ownerOf(request("req", "1\nkey:alice", owners.requestTag("req-1", "key:alice"))),
        "the id is length-prefixed: no other split of the same characters");
    assertNull(tags("another-owner-secret-of-32-bytes-or-more").requestOwners()
        .ownerOf(request("req-1", "key:alice", tag)), "another deployment's tag");
    assertNull(rule.ownerOf(request("req-1", null, tag)));
    assertNull(rule.ownerOf(request("req-1", "key:alice", "x".repeat(1 << 20))), "a megabyte of tag: refused, not echoed");
    String longId = "i".repeat(100_000);
    assertEquals("key:alice", rule.ownerOf(request(longId, "key:alice", owners.requestTag(longId, "key:alice"))));
  }

  @Test
  void aRotatedSecretStillAcceptsTheOldTagsButMakesOnlyNewOnes() {
    OwnerTags before = tags(SECRET);
    String oldRequestTag = before.requestTag("req-1", "key:alice");
    Map<String, String> oldImage = before.tagged(Map.of(), "img-1", "key:alice");

    OwnerTags during = tags(NEW_SECRET, SECRET);
    assertEquals("key:alice", during.requestOwners().ownerOf(request("req-1", "key:alice", oldRequestTag)),
        "a request signed before the rotation keeps its owner");
    assertEquals(Optional.of("key:alice"), during.verifiedOwner("img-1", oldImage), "so does a latent");
    String newRequestTag = during.requestTag("req-2", "key:alice");
    assertEquals(newRequestTag, tags(NEW_SECRET).requestTag("req-2", "key:alice"), "tags are made under the new secret");
    assertNull(during.requestOwners().ownerOf(request("req-1", "key:mallory", oldRequestTag)),
        "an old tag is still for one owner");

    OwnerTags after = tags(NEW_SECRET);
    assertNull(after.requestOwners().ownerOf(request("req-1", "key:alice", oldRequestTag)), "once removed, old tags fail");
    assertEquals(Optional.empty(), after.verifiedOwner("img-1", oldImage));
    assertEquals("key:alice", after.requestOwners().ownerOf(request("req-2", "key:alice", newRequestTag)));
  }

  @Test
  void aPreviousSecretNeedsACurrentOneAndTheSameLength() {
    IllegalArgumentException alone = assertThrows(IllegalArgumentException.class, () -> settings(null, SECRET));
    assertTrue(alone.getMessage().contains("previous-owner-secret is set but aligntok.tokenize.owner-secret is not"),
        alone.getMessage());
    IllegalArgumentException shortOne = assertThrows(IllegalArgumentException.class, () -> settings(SECRET, "short"));
    assertTrue(shortOne.getMessage().contains("aligntok.tokenize.previous-owner-secret has 5 characters"),
        shortOne.getMessage());
    assertFalse(settings(SECRET, NEW_SECRET).toString().contains(NEW_SECRET), "never logged");
  }

  @Test
  void anImagesTagIsNeverARequestsTag() {
    OwnerTags owners = tags(SECRET);
    String imageTag = owners.tagged(Map.of(), "shared-id", "key:alice").get(OwnerTags.TAG_KEY);
    assertNull(owners.requestOwners().ownerOf(request("shared-id", "key:alice", imageTag)),
        "a latent's tag, readable on the latents topic, does not make a request alice's");
  }

  @Test
  void withoutASharedSecretOwnersAreTakenAsWritten() {
    assertSame(RequestOwners.AS_WRITTEN, tags(null).requestOwners(),
        "each pod would have its own key and could not check another's tags");
    assertEquals("key:alice", RequestOwners.AS_WRITTEN.ownerOf(request("req-1", "key:alice", null)));
  }
}
