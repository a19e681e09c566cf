/**
 * Fixed feature spaces that images are measured in: pretrained networks mapping each image to one
 * vector ({@link dev.aligntok.trainer.features.FeatureExtractor}:
 * {@link dev.aligntok.trainer.features.InceptionV3Features} by default,
 * {@link dev.aligntok.trainer.features.MobileNetV2Features} as a second space), run on DJL from
 * the nsfwjs TF.js weights — InceptionV3 through a small interpreter of its frozen Keras layer
 * graph ({@code FrozenKerasGraph}); a content-addressed disk cache of their outputs
 * ({@link dev.aligntok.trainer.features.FeatureCache}); and
 * {@link dev.aligntok.trainer.features.Pooling}, plain-Java average pooling of NCHW maps into
 * vectors (latents and raw pixels are pooled the same way).
 *
 * <p>Layering: features may import {@code trainer.encoders} (TF.js weights, Keras kernels, the
 * MobileNetV2 encoder) and {@code inference} (image, io); never {@code trainer.eval} or any package
 * that uses it. eval, diffusion and cli import features.
 */
package dev.aligntok.trainer.features;
