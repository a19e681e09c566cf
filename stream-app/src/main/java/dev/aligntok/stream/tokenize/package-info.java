/**
 * The tokenize topology (image events to latents) and its batch work; may import batch, output, record,
 * model, blob and config, never generate.
 */
package dev.aligntok.stream.tokenize;
