package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.inference.text.TextEncoderArtifact;
import dev.aligntok.trainer.captions.CachedEmojiData;
import dev.aligntok.trainer.captions.CaptionEmbeddings;
import dev.aligntok.trainer.captions.CaptionOptions;
import dev.aligntok.trainer.captions.CaptionSet;
import dev.aligntok.trainer.captions.EmojiCaptions;
import dev.aligntok.trainer.captions.ImageCaptions;
import dev.aligntok.trainer.data.DataCache;
import dev.aligntok.trainer.data.DataSources;
import dev.aligntok.trainer.data.EmojiVendor;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import dev.aligntok.inference.text.TextEncoder;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Latent rows → their image's captions → embeddings: a pure function of (step, row). */
class CaptionConditionsTest {
  @Test
  void eachRowGetsTheEmbeddingOfTheCaptionDrawnForItsImageAndStep(@TempDir Path dir) {
    DataCache cache = CachedEmojiData.withOrSkip(DataSources.EMOJI_GOOGLE, DataSources.EMOJILIB);
    CaptionSet captions = EmojiCaptions.load(cache, EmojiVendor.GOOGLE, CaptionOptions.defaults());
    List<String> ids = captions.images().subList(40, 44).stream().map(ImageCaptions::imageId).toList();
    List<String> used = CaptionConditions.captionsOf(captions, ids);
    assertEquals(ids.stream().flatMap(id -> captions.of(id).captions().stream()).distinct().count(), used.size());
    CaptionEmbeddings embeddings = CaptionEmbeddings.loadOrCompute(dir.resolve(CaptionEmbeddings.FILE), used,
        TextEncoderArtifact.MINILM_L6_V2_Q,
        () -> TextEncoder.open(RuntimeOptions.defaults().withProviders(List.of(ExecutionProvider.CPU)).withThreads(1, 1)),
        FlowTrainerTest.quiet());

    CaptionConditions conditions = new CaptionConditions(captions, ids, embeddings, 7);
    CaptionConditions again = new CaptionConditions(captions, ids, embeddings, 7);
    assertEquals(384, conditions.width());
    assertSame(embeddings.nullVector(), conditions.nullCondition());
    Set<Integer> drawn = new HashSet<>();
    for (long step = 0; step < 40; step++) {
      for (int row = 0; row < ids.size(); row++) {
        int caption = conditions.caption(step, row);
        assertEquals(captions.draw(ids.get(row), 7, step), caption);
        assertTrue(captions.of(ids.get(row)).captions().contains(caption), "one of the image's own captions");
        assertArrayEquals(embeddings.vector(used.indexOf(captions.caption(caption))), conditions.condition(step, row));
        assertArrayEquals(conditions.condition(step, row), again.condition(step, row), "a function of (step, row) only");
        if (row == 0) {
          drawn.add(caption);
        }
      }
    }
    assertEquals(captions.of(ids.get(0)).captions().size(), drawn.size(), "over 40 steps every caption of image 0 comes up");

    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> CaptionConditions.captionsOf(captions, List.of(ids.get(0), "shape-1", "a/b.png")));
    assertTrue(missing.getMessage().contains("2 of 3 training images have no captions (e.g. [shape-1, a/b.png])"),
        missing.getMessage());
    IllegalArgumentException lacking = assertThrows(IllegalArgumentException.class,
        () -> new CaptionConditions(captions, List.of(captions.images().get(0).imageId()), embeddings, 7));
    assertTrue(lacking.getMessage().contains("lack caption"), lacking.getMessage());
  }
}
