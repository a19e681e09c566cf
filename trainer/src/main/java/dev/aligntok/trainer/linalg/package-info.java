/**
 * Numerical kernels in double precision, plain Java:
 * {@link dev.aligntok.trainer.linalg.SymmetricEigen} (eigendecomposition of a symmetric matrix, for
 * Fréchet distances), {@link dev.aligntok.trainer.linalg.Matrices} (matrix products) and
 * {@link dev.aligntok.trainer.linalg.Lbfgs} (limited-memory BFGS, for the linear probe).
 *
 * <p>Layering: a leaf; imports only the JDK.
 */
package dev.aligntok.trainer.linalg;
