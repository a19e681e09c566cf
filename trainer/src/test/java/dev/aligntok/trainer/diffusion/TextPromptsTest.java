package dev.aligntok.trainer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
        () -> new TextPrompts(new float[2][], new float[1], List.of("p"), new int[] {2}, new float[1][]));
    assertEquals("prompt class 2 is outside the 2 classes", e.getMessage());
  }
}
