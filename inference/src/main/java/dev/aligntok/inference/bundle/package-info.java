/**
 * Loading a model bundle: {@link dev.aligntok.inference.bundle.ModelBundle#load} verifies the
 * directory against its manifest ({@code inference.manifest}), opens one ONNX Runtime session per
 * model ({@code inference.runtime}), checks each graph's real inputs and outputs against the
 * manifest, resolves a text DiT's encoder from the classpath by the manifest's reference (hashes
 * checked) and probes the DiT (class range, or the empty prompt's embedding), before serving from it; every refusal is a
 * {@link dev.aligntok.inference.manifest.BundleException}. The bundle files are written by
 * model-export's BundleWriter.
 *
 * <p>Layering: the top of the inference module; may use {@code manifest}, {@code runtime},
 * {@code text}, {@code image} and the packages below them; nothing in inference uses it.
 */
package dev.aligntok.inference.bundle;
