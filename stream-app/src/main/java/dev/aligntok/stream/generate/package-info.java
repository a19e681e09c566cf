/**
 * The generate topology (prompt events to images and statuses), its batch work, and the one home of a
 * request's limits and class resolution ({@link dev.aligntok.stream.generate.GenerationRules}); may import
 * batch, output, record, model, blob and config, never tokenize.
 */
package dev.aligntok.stream.generate;
