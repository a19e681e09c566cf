package dev.aligntok.inference.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionTableTest {
  private static final float[][] CONDITIONS = {{1f, 0f}, {0f, 1f}, {0.6f, 0.8f}};
  private static final float[] NULL = {-1f, 0f};

  @Test
  void guidedCallsGetTheConditionVectorsThenTheNullVectorInOneBatch() {
    List<float[]> calls = new ArrayList<>();
    // v depends on the condition, so guidance does something: v = z − (c0 + 2·c1)
    ConditionTable.VectorField field = (latents, t, conditions, n, dim) -> {
      calls.add(conditions.clone());
      float[] v = new float[n * dim];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < dim; j++) {
          v[i * dim + j] = latents[i * dim + j] - (conditions[2 * i] + 2 * conditions[2 * i + 1]);
        }
      }
      return v;
    };
    ConditionTable table = new ConditionTable(field, CONDITIONS, NULL);
    assertArrayEquals(new int[] {0, 1, 2}, table.ids());
    assertEquals(3, table.nullId());
    float[] noise = {0.5f, -0.5f, 1f, 2f, -1f, 0f};
    // guidance on the first half of the interval only: step 1 of 2 is guided (t = 1), step 2 not (t = 0.5)
    float[] guided = new FlowSampler(table).sample(noise, table.ids(), table.nullId(), 3, 2,
        new SamplerSettings(2, Solver.EULER, 1f, 3f, 0.75f, 1f));
    assertEquals(2, calls.size());
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f, 0.6f, 0.8f, -1f, 0f, -1f, 0f, -1f, 0f}, calls.get(0), "cond rows, then null rows");
    assertArrayEquals(new float[] {1f, 0f, 0f, 1f, 0.6f, 0.8f}, calls.get(1), "unguided: the condition rows alone");
    float[] unguided = new FlowSampler(table).sample(noise, table.ids(), table.nullId(), 3, 2,
        new SamplerSettings(2, Solver.EULER, 1f, 1f, 0f, 1f));
    assertTrue(!Arrays.equals(guided, unguided), "guidance against the null vector changes the sample");
  }

  @Test
  void vectorsOfTheWrongWidthOrNotFiniteAreRefusedByName() {
    ConditionTable.VectorField field = (latents, t, conditions, n, dim) -> latents.clone();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ConditionTable(field, new float[][] {{1f, 0f}, {1f}}, NULL));
    assertTrue(e.getMessage().contains("condition 1 has 1 values, expected 2"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new ConditionTable(field, new float[][] {{1f, Float.NaN}}, NULL));
    assertTrue(e.getMessage().contains("condition 0 is not finite at index 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ConditionTable(field, new float[0][], NULL));
    assertTrue(e.getMessage().contains("at least one condition vector"), e.getMessage());
    ConditionTable table = new ConditionTable(field, CONDITIONS, NULL);
    e = assertThrows(IllegalArgumentException.class, () -> table.velocity(new float[2], new float[1], new int[] {4}, 1, 2));
    assertTrue(e.getMessage().contains("condition id 4 is outside 0..3"), e.getMessage());
  }
}
