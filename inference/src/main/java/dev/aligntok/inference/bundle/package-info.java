/**
 * Loading a model bundle: {@link dev.aligntok.inference.bundle.ModelBundle#load} verifies the
 * directory against its manifest ({@code inference.manifest}), opens one ONNX Runtime session per
 * model ({@code inference.runtime}), checks each graph's real inputs and outputs against the
 * manifest and probes the DiT's class range, before serving from it; every refusal is a
 * {@link dev.aligntok.inference.manifest.BundleException}. The bundle files are written by
 * model-export's BundleWriter.
 *
 * <p>Layering: the top of the inference module; may use {@code manifest}, {@code runtime},
 * {@code image} and the packages below them; nothing in inference uses it.
 */
package dev.aligntok.inference.bundle;
