package dev.aligntok.trainer.captions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.text.TextEncoder;
import dev.aligntok.inference.text.TextEncoderArtifact;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The caption-embedding cache: computed once, reused while its key matches, recomputed when it does not. */
class CaptionEmbeddingsTest {
  private static final TextEncoderArtifact MINILM = TextEncoderArtifact.MINILM_L6_V2_Q;
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final List<String> CAPTIONS = List.of("an emoji of face smiling", "cat", "a picture of red heart");

  private static Supplier<TextEncoder> counting(AtomicInteger opens) {
    return () -> {
      opens.incrementAndGet();
      return TextEncoder.open(RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1));
    };
  }

  @Test
  void computedOnceThenReusedAndRecomputedForOtherCaptionsOrADamagedFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(CaptionEmbeddings.FILE);
    AtomicInteger opens = new AtomicInteger();
    CaptionEmbeddings first = CaptionEmbeddings.loadOrCompute(file, CAPTIONS, MINILM, counting(opens), QUIET);
    assertTrue(first.computed());
    assertEquals(1, opens.get());
    assertEquals(384, first.dimension());
    assertNotEquals(first.vector(0)[0], first.nullVector()[0], "the empty prompt has its own embedding");

    CaptionEmbeddings again = CaptionEmbeddings.loadOrCompute(file, CAPTIONS, MINILM, counting(opens), QUIET);
    assertFalse(again.computed(), "same captions and encoder: read from the file");
    assertEquals(1, opens.get(), "the encoder is not even opened");
    for (int i = 0; i < CAPTIONS.size(); i++) {
      assertArrayEquals(first.vector(i), again.vector(i));
    }
    assertArrayEquals(first.nullVector(), again.nullVector());

    List<String> other = List.of("an emoji of face smiling", "dog", "a picture of red heart");
    CaptionEmbeddings changed = CaptionEmbeddings.loadOrCompute(file, other, MINILM, counting(opens), QUIET);
    assertTrue(changed.computed(), "other captions: recomputed");
    assertEquals(2, opens.get());
    assertArrayEquals(first.vector(0), changed.vector(0), "one prompt per call: a caption's vector never depends on its list");
    assertFalse(CaptionEmbeddings.loadOrCompute(file, other, MINILM, counting(opens), QUIET).computed(), "and replaced");

    Files.write(file, new byte[] {1, 2, 3});
    assertTrue(CaptionEmbeddings.loadOrCompute(file, other, MINILM, counting(opens), QUIET).computed(), "damaged: recomputed");
    assertEquals(3, opens.get());
  }

  @Test
  void anotherEncoderModelIsAnotherKeySoTheCacheIsNotUsed(@TempDir Path dir) {
    TextEncoderArtifact otherModel = new TextEncoderArtifact(MINILM.groupId(), MINILM.artifactId(), "9.9", MINILM.modelResource(),
        "0".repeat(64), MINILM.tokenizerResource(), MINILM.tokenizerSha256(), false);
    assertNotEquals(CaptionEmbeddings.key(CAPTIONS, MINILM), CaptionEmbeddings.key(CAPTIONS, otherModel));
    assertNotEquals(CaptionEmbeddings.key(List.of("a b", "c"), MINILM), CaptionEmbeddings.key(List.of("a", "b c"), MINILM),
        "captions are length-prefixed in the key");
    Path file = dir.resolve(CaptionEmbeddings.FILE);
    AtomicInteger opens = new AtomicInteger();
    CaptionEmbeddings.loadOrCompute(file, CAPTIONS, MINILM, counting(opens), QUIET);
    // The file holds MiniLM's key: asked for another model, the cache is passed over and the encoder
    // opened, which here is not that model, so it is refused rather than mislabelled.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CaptionEmbeddings.loadOrCompute(file, CAPTIONS, otherModel, counting(opens), QUIET));
    assertEquals(2, opens.get());
    assertTrue(e.getMessage().contains("not " + otherModel.coordinates()), e.getMessage());
  }
}
