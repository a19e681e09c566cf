package dev.aligntok.trainer.eval;

import dev.aligntok.inference.image.ImageBatch;
/**
 * What the evaluation needs from a tokenizer: images to latents and back. Deliberately tiny, so
 * the AlignTok tokenizer, the baseline, an ONNX bundle or a plain Java function can all be
 * evaluated the same way.
 *
 * <p>Images are {@link ImageBatch}es in <b>[0, 1]</b>; an implementation whose networks work in
 * [-1, 1] converts at this boundary ({@link ImageBatch#toMinusOneOne()},
 * {@link ImageBatch#fromMinusOneOne}). {@link #decode} must return images of the size that
 * {@link #encode} was given. Calls happen one batch at a time, on one thread.
 */
public interface TokenizerUnderTest {
  /** A short identifier for reports, e.g. {@code aligntok-stage3} or {@code baseline}. */
  String name();

  LatentBatch encode(ImageBatch images);

  ImageBatch decode(LatentBatch latents);
}
