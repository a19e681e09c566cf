package dev.aligntok.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MatricesTest {
  @Test
  void randomOrthogonalHasOrthonormalRowsAndIsSeeded() {
    double[][] q = Matrices.randomOrthogonal(40, 3);
    double[][] qt = new double[40][40];
    for (int i = 0; i < 40; i++) {
      for (int j = 0; j < 40; j++) {
        qt[j][i] = q[i][j];
      }
    }
    double[][] identity = Matrices.multiply(q, qt);
    for (int i = 0; i < 40; i++) {
      for (int j = 0; j < 40; j++) {
        assertEquals(i == j ? 1 : 0, identity[i][j], 1e-12, "(" + i + ", " + j + ")");
      }
    }
    assertArrayEquals(q[7], Matrices.randomOrthogonal(40, 3)[7]);
    assertThrows(IllegalArgumentException.class, () -> Matrices.randomOrthogonal(0, 3));
  }

  @Test
  void multiplyIsTheTextbookProduct() {
    assertArrayEquals(new double[][] {{19, 22}, {43, 50}},
        Matrices.multiply(new double[][] {{1, 2}, {3, 4}}, new double[][] {{5, 6}, {7, 8}}));
  }
}
