package dev.aligntok.stream.service.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.LatentDType;
import dev.aligntok.stream.generate.RequestOwners;
import dev.aligntok.stream.service.config.AuthSettings;
import dev.aligntok.stream.service.config.TokenizeSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnerTagsTest {
  private static final String SECRET = "an-owner-secret-of-at-least-32-bytes!";

  private static OwnerTags tags(String secret) {
    TokenizeSettings tokenize = new TokenizeSettings(true, 8, Duration.ofMillis(100), 1_000_000, 1024, 1024, 1_000_000,
        LatentDType.F32, 10_000_000, null, null, secret);
    return new OwnerTags(tokenize, new AuthSettings(true, List.of("a-key"), null, null, null, null, null, null));
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
  void anImagesTagIsNeverARequestsTag() {
    OwnerTags owners = tags(SECRET);
    String imageTag = owners.tagged(java.util.Map.of(), "shared-id", "key:alice").get(OwnerTags.TAG_KEY);
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
