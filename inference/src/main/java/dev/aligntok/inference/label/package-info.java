/**
 * The class-label vocabulary ({@link dev.aligntok.inference.label.LabelVocabulary}) shared by the
 * trainer, which writes it into bundles, and the serving side, which resolves prompts with it.
 *
 * <p>Layering: a leaf; it uses no other inference package.
 */
package dev.aligntok.inference.label;
