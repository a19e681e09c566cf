/**
 * The topologies' model ports over the ONNX runtime: {@link dev.aligntok.stream.runtime.BundleModels} loads
 * a model bundle, hands out the encoder and generator ports, and swaps bundles between batches on {@link
 * dev.aligntok.stream.runtime.BundleModels#reload hot reload}; may import model only.
 */
package dev.aligntok.stream.runtime;
