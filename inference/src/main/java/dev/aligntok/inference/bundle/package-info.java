/**
 * Model bundles: a directory of ONNX models ({@code encoder.onnx}, {@code decoder.onnx}, optionally
 * {@code dit.onnx}), {@code tensorrt.json} and a {@link dev.aligntok.inference.bundle.BundleManifest}
 * whose id is a hash of all of it ({@link dev.aligntok.inference.bundle.ContentHash}).
 * {@link dev.aligntok.inference.bundle.ModelBundle#load} validates a bundle completely before
 * serving from it; every refusal is a {@link dev.aligntok.inference.bundle.BundleException} naming
 * the directory, the file or field, and the problem. Written by model-export's BundleWriter.
 */
package dev.aligntok.inference.bundle;
