package dev.aligntok.trainer.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SymmetricEigenTest {
  @Test
  void twoByTwoHasTheTextbookEigenvalues() {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, -1)/√2 and (1, 1)/√2.
    SymmetricEigen eigen = SymmetricEigen.of(new double[][] {{2, 1}, {1, 2}});
    assertArrayEquals(new double[] {1, 3}, eigen.values(), 1e-14);
    double[][] v = eigen.vectors();
    assertEquals(0, v[0][0] + v[0][1], 1e-14);
    assertEquals(0, v[1][0] - v[1][1], 1e-14);
    assertEquals(1, Math.abs(v[1][0]) * Math.sqrt(2), 1e-14);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 40, 130})
  void reconstructsRandomSymmetricMatrices(int n) {
    double[][] a = randomSymmetric(n, n * 31L);
    SymmetricEigen eigen = SymmetricEigen.of(a);
    double[] values = eigen.values();
    for (int i = 1; i < n; i++) {
      assertTrue(values[i - 1] <= values[i], "eigenvalues ascend");
    }
    assertClose(a, eigen.reconstruct(lambda -> lambda), 1e-10 * n);
    double[][] v = eigen.vectors();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertEquals(i == j ? 1 : 0, dot(v[i], v[j]), 1e-11, "eigenvectors are orthonormal");
      }
    }
  }

  @Test
  void handlesRepeatedAndZeroEigenvalues() {
    SymmetricEigen identity = SymmetricEigen.of(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    assertArrayEquals(new double[] {1, 1, 1}, identity.values(), 1e-15);
    // Rank 1: u·uᵀ with |u|² = 14 → eigenvalues 0, 0, 14.
    double[] u = {1, 2, 3};
    double[][] rankOne = new double[3][3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        rankOne[i][j] = u[i] * u[j];
      }
    }
    assertArrayEquals(new double[] {0, 0, 14}, SymmetricEigen.of(rankOne).values(), 1e-13);
  }

  @Test
  void squareRootOfAPsdMatrixSquaresBack() {
    double[][] a = randomPsd(12, 5);
    double[][] root = SymmetricEigen.of(a).reconstruct(lambda -> Math.sqrt(Math.max(0, lambda)));
    assertClose(a, Matrices.multiply(root, root), 1e-10);
  }

  @Test
  void rejectsWhatIsNotASymmetricFiniteSquareMatrix() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {0, 1}}))
        .getMessage().contains("not symmetric"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}}))
        .getMessage().contains("not square"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{Double.NaN}}))
        .getMessage().contains("NaN"));
  }

  static double[][] randomSymmetric(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        a[i][j] = random.nextDouble(-1, 1);
        a[j][i] = a[i][j];
      }
    }
    return a;
  }

  static double[][] randomPsd(int n, long seed) {
    double[][] b = randomSymmetric(n, seed);
    return Matrices.multiply(b, b);
  }

  static void assertClose(double[][] expected, double[][] actual, double tolerance) {
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], actual[i], tolerance, "row " + i);
    }
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
