/**
 * ONNX Runtime execution of a bundle's models: sessions opened once on the first available
 * {@link dev.aligntok.inference.runtime.ExecutionProvider} ({@link dev.aligntok.inference.runtime.SessionFactory}),
 * shared by all threads, with every native tensor closed per call
 * ({@link dev.aligntok.inference.runtime.OnnxModel}); batched encode/decode
 * ({@link dev.aligntok.inference.runtime.TokenizerRuntime}) and class- or text-conditional generation
 * through the shared flow sampler ({@link dev.aligntok.inference.runtime.GenerationRuntime}; the text
 * side reaches it as a {@link dev.aligntok.inference.runtime.PromptEmbedder}, since {@code text} is above).
 *
 * <p>Layering: may use {@code manifest} (tensor specs, latent, model contract, TensorRT profiles),
 * {@code sampling}, {@code image}, {@code label} and {@code cancel}; never {@code bundle}, which
 * assembles these classes into a loaded bundle.
 */
package dev.aligntok.inference.runtime;
