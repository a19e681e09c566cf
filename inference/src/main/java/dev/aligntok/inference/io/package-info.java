/**
 * Byte- and file-level helpers with no model knowledge: the one home of SHA-256
 * ({@link dev.aligntok.inference.io.Sha256}), the safetensors writer and file-tree chores. Used by the
 * trainer, the exporter, the bundle checks ({@code manifest}) and the stream app.
 *
 * <p>Layering: a leaf; it uses no other inference package.
 */
package dev.aligntok.inference.io;
