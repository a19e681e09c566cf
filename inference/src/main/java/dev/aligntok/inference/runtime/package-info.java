/**
 * ONNX Runtime execution of a loaded bundle: sessions opened once on the first available
 * {@link dev.aligntok.inference.runtime.ExecutionProvider} ({@link dev.aligntok.inference.runtime.SessionFactory}),
 * shared by all threads, with every native tensor closed per call
 * ({@link dev.aligntok.inference.runtime.OnnxModel}); batched encode/decode
 * ({@link dev.aligntok.inference.runtime.TokenizerRuntime}) and class-conditional generation through
 * the shared flow sampler ({@link dev.aligntok.inference.runtime.GenerationRuntime}).
 */
package dev.aligntok.inference.runtime;
