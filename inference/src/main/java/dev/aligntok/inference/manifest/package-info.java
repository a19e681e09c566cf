/**
 * What a model bundle declares, and the checks that a bundle directory matches it, with no native
 * code: the {@code manifest.json} records ({@link dev.aligntok.inference.manifest.BundleManifest}),
 * the tensor names and shapes per model role ({@link dev.aligntok.inference.manifest.ModelContract}),
 * {@code tensorrt.json} ({@link dev.aligntok.inference.manifest.TensorRtConfig}), the content-hash id
 * ({@link dev.aligntok.inference.manifest.ContentHash}), the manifest and file checks
 * ({@link dev.aligntok.inference.manifest.ManifestChecks}, {@link dev.aligntok.inference.manifest.BundleFiles})
 * and their error ({@link dev.aligntok.inference.manifest.BundleException}, naming the directory, the
 * file or field, and the problem). Shared by model-export's BundleWriter (write) and the loader (read).
 *
 * <p>Layering: may use {@code io}, {@code label}, {@code sampling} and {@code image}; used by
 * {@code runtime} and {@code bundle}, never the other way round.
 */
package dev.aligntok.inference.manifest;
