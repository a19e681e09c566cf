package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aligntok.trainer.captions.ImageCaptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Held-out prompts of a text DiT: one embedding call, vectors by class and prompt, the chance level. */
class TextPromptsTest {
  @Test
  void embedsEverythingInOneCallAndComputesTheClassBlindChanceLevel() {
    List<List<String>> calls = new ArrayList<>();
    TextPrompts prompts = TextPrompts.embed(List.of("an emoji of a", "an emoji of b", "an emoji of c"),
        List.of("a drawing of a", "a drawing of x", "an illustration showing b", "a drawing of c"), new int[] {0, 0, 1, 2},
        texts -> {
          calls.add(texts);
          float[][] vectors = new float[texts.size()][];
          for (int i = 0; i < vectors.length; i++) {
            vectors[i] = new float[] {i, texts.get(i).length()};
          }
          return vectors;
        });
    assertEquals(1, calls.size(), "one encoder call");
    assertEquals("", calls.get(0).get(calls.get(0).size() - 1), "the empty prompt last");
    assertArrayEquals(new float[] {7, 0}, prompts.nullCondition());
    assertArrayEquals(new float[] {1, 13}, prompts.classCaptions()[1]);
    assertArrayEquals(new float[] {4, 14}, prompts.promptVectors()[1]);
    float[][] byClass = prompts.conditionsOf(new int[] {2, 0});
    assertSame(prompts.classCaptions()[2], byClass[0]);
    // class shares q = 1/2, 1/4, 1/4: a class-blind generator drawing at those shares scores Σq² = 0.375
    assertEquals(0.375, prompts.chanceLevel(), 1e-12);
    assertEquals(0.5, prompts.mostFrequentClassShare(), 1e-12);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new TextPrompts(new float[2][], new float[1], List.of("p"), new int[] {2}, new float[1][], null, null, null, null));
    assertEquals("prompt class 2 is outside the 2 classes", e.getMessage());
  }

  @Test
  void nearestClassAccuracyCountsPromptsWhoseEmbeddingPointsToTheirOwnClass() {
    // class captions along x and y; prompts: near x (class 0, right), near y (class 0, wrong), near y (class 1, right)
    float[][] classCaptions = {{1, 0}, {0, 1}};
    float[][] promptVectors = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.1f, 3f}};
    TextPrompts prompts = new TextPrompts(classCaptions, new float[2], List.of("p", "q", "r"), new int[] {0, 0, 1},
        promptVectors, null, null, null, null);
    assertEquals(2.0 / 3, prompts.nearestClassCaptionAccuracy(), 1e-12);
    assertEquals(Double.NaN, prompts.nearestCentroidAccuracy());

    // class 0's training captions include one leaning towards y, so its centroid claims "q"
    float[][] captionVectors = {{1, 0}, {0.3f, 1}, {0, 1}, {-1, 0.2f}};
    List<ImageCaptions> images = List.of(new ImageCaptions("a1", "a", List.of(0, 1)),
        new ImageCaptions("a2", "a", List.of(1, 0)), new ImageCaptions("b1", "b", List.of(2, 3)),
        new ImageCaptions("z1", "not-a-class", List.of(0, 3)));
    float[][] centroids = TextPrompts.captionCentroids(images, List.of("a", "b"), captionVectors);
    double norm = Math.sqrt(0.3 * 0.3 + 1);
    assertEquals(1 + 0.3 / norm, centroids[0][0], 1e-6, "each distinct caption once, as a unit vector");
    assertEquals(1 / norm, centroids[0][1], 1e-6);
    // centroids (1.29, 0.96) and (-0.98, 1.20): "q" (0.2, 0.8) has cosine 0.77 to class 0's, 0.60 to class 1's
    assertEquals(1.0, prompts.withCaptionCentroids(centroids).nearestCentroidAccuracy(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> prompts.withCaptionCentroids(new float[3][2]));
  }
}
