/**
 * Tokenizer evaluation (docs/architecture.md §8), independent of how the
 * tokenizer is built: anything that implements {@link dev.aligntok.trainer.eval.TokenizerUnderTest}
 * (images in [0, 1] ↔ latents) can be measured.
 *
 * <ul>
 *   <li>{@link dev.aligntok.trainer.eval.TokenizerEvaluation} — the whole evaluation, written as
 *       {@code eval.json} ({@link dev.aligntok.trainer.eval.EvaluationReport}) and
 *       {@code reconstructions.png} ({@link dev.aligntok.inference.image.ReconstructionGrid});</li>
 *   <li>PSNR and SSIM: {@link dev.aligntok.inference.image.ImageMetrics};</li>
 *   <li>{@link dev.aligntok.trainer.eval.FrechetDistance} in a fixed pretrained feature space
 *       (package {@code trainer.features});</li>
 *   <li>{@link dev.aligntok.trainer.eval.LinearProbe} — softmax regression on pooled latents or
 *       features (optionally with row weights);</li>
 *   <li>{@link dev.aligntok.trainer.eval.MlpProbe} — its one-hidden-layer counterpart, a nonlinear
 *       reading of the same features;</li>
 *   <li>{@link dev.aligntok.trainer.eval.LatentStats} — per-channel latent mean/std;</li>
 * </ul>
 * Plain Java in double precision; the pretrained networks live in {@code trainer.features}.
 *
 * <p>Layering: eval may import {@code trainer.features}, {@code trainer.linalg},
 * {@code trainer.data} and {@code inference}. It must not import {@code trainer.charts} (which draws
 * its metrics log) or the packages that use it: tokenizer, latents, diffusion, export, study, bench,
 * cli. {@link dev.aligntok.trainer.eval.LatentBatch} and
 * {@link dev.aligntok.trainer.eval.TokenizerUnderTest} are the contract a tokenizer implements.
 */
package dev.aligntok.trainer.eval;
