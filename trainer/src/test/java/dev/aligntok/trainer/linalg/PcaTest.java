package dev.aligntok.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PcaTest {
  // (3,1), (1,3), (−3,−1), (−1,−3) shifted by (10, 20): covariance (1/3)·[[20, 12], [12, 20]],
  // eigenvalues 32/3 along (1, 1)/√2 and 8/3 along (1, −1)/√2.
  private static final double[][] ROWS = {{13, 21}, {11, 23}, {7, 19}, {9, 17}};

  @Test
  void twoDimensionalCaseHasTheHandComputedComponents() {
    Pca pca = Pca.fit(ROWS, 2);
    assertArrayEquals(new double[] {32.0 / 3, 8.0 / 3}, pca.variances(), 1e-12);
    double r = Math.sqrt(0.5);
    assertArrayEquals(new double[] {r, r}, pca.component(0), 1e-12);
    assertArrayEquals(new double[] {r, -r}, pca.component(1), 1e-12); // sign: largest entry positive (first on a tie)
    double[][] projected = pca.project(ROWS);
    assertArrayEquals(new double[] {4 * r, 2 * r}, projected[0], 1e-12); // (3, 1)·(1, 1)/√2 = 2√2, (3, 1)·(1, −1)/√2 = √2
    assertArrayEquals(new double[] {4 * r, -2 * r}, projected[1], 1e-12);
    assertArrayEquals(new double[] {-4 * r, -2 * r}, projected[2], 1e-12);
  }

  @Test
  void keepingFewerComponentsKeepsTheLeadingOnes() {
    Pca one = Pca.fit(ROWS, 1);
    assertEquals(1, one.components());
    assertEquals(2, one.inputWidth());
    double[][] projected = one.project(new double[][] {{10, 20}, {11, 21}});
    assertEquals(0, projected[0][0], 1e-12); // the mean projects to 0
    assertEquals(Math.sqrt(2), projected[1][0], 1e-12);
    assertArrayEquals(Pca.fit(ROWS, 2).project(ROWS, 1)[3], one.project(ROWS)[3], 1e-12);
  }

  @Test
  void badRequestsAreNamed() {
    assertThrows(IllegalArgumentException.class, () -> Pca.fit(ROWS, 3));
    assertThrows(IllegalArgumentException.class, () -> Pca.fit(new double[][] {{1, 2}}, 1));
    assertThrows(IllegalArgumentException.class, () -> Pca.fit(ROWS, 1).project(new double[][] {{1, 2, 3}}));
    assertThrows(IllegalArgumentException.class, () -> Pca.fit(ROWS, 1).project(ROWS, 2));
  }
}
