/**
 * Tokenizer evaluation (DESIGN.md section 6, issue 3 "Evaluation"), independent of how the
 * tokenizer is built: anything that implements {@link dev.aligntok.trainer.eval.TokenizerUnderTest}
 * (images in [0, 1] ↔ latents) can be measured.
 *
 * <ul>
 *   <li>{@link dev.aligntok.trainer.eval.TokenizerEvaluation} — the whole evaluation, written as
 *       {@code eval.json} ({@link dev.aligntok.trainer.eval.EvaluationReport}) and
 *       {@code reconstructions.png};</li>
 *   <li>{@link dev.aligntok.trainer.eval.ImageMetrics} — PSNR and SSIM;</li>
 *   <li>{@link dev.aligntok.trainer.eval.FrechetDistance} in a fixed pretrained feature space
 *       ({@link dev.aligntok.trainer.eval.FeatureExtractor}: {@link dev.aligntok.trainer.eval.InceptionV3Features}
 *       by default, {@link dev.aligntok.trainer.eval.MobileNetV2Features} as a second space);</li>
 *   <li>{@link dev.aligntok.trainer.eval.LinearProbe} — softmax regression on pooled latents or
 *       features;</li>
 *   <li>{@link dev.aligntok.trainer.eval.LatentStats} — per-channel latent mean/std;</li>
 *   <li>pictures: {@link dev.aligntok.trainer.eval.ReconstructionGrid} and
 *       {@link dev.aligntok.trainer.eval.LossCurves} (from a metrics JSONL file,
 *       {@link dev.aligntok.trainer.train.MetricsLog}).</li>
 * </ul>
 * Everything is plain Java in double precision except the two pretrained networks, which run on
 * DJL.
 */
package dev.aligntok.trainer.eval;
