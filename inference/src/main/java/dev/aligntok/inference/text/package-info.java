/**
 * The text encoder of free-text prompts: all-MiniLM-L6-v2 (quantised ONNX, from a pinned Maven
 * artifact, {@link dev.aligntok.inference.text.TextEncoderArtifact}), our own BERT WordPiece
 * tokenizer that reproduces Hugging Face's token ids ({@link dev.aligntok.inference.text.BertWordPiece}),
 * and {@link dev.aligntok.inference.text.TextEncoder}, which turns a batch of prompts into
 * L2-normalised 384-d sentence embeddings in one ONNX Runtime call.
 *
 * <p>Layering: above {@code runtime} (sessions are opened by its {@code SessionFactory} and run by
 * its {@code OnnxModel}) and {@code io} (SHA-256); below {@code bundle}, which may open it.
 */
package dev.aligntok.inference.text;
