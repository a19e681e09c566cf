package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
/**
 * A fixed, pretrained network that maps images to one feature vector each — the space Fréchet
 * distances are measured in, and the "frozen encoder" baseline of the linear probe. Implementations
 * hold native memory: close them.
 *
 * <p>It must not be the tokenizer's own (trainable) encoder, or the distance rewards the tokenizer
 * for matching itself. See {@link InceptionV3Features} (default: independent of the AlignTok
 * encoder) and {@link MobileNetV2Features} (same family as the encoder; read its caveat).
 */
public interface FeatureExtractor extends AutoCloseable {
  /** Identifies the feature space in reports, e.g. {@code inception_v3@mixed5/gap@299px}. */
  String name();

  int dimensions();

  /** One feature vector per image; images in [0, 1] of any size (resized as the network needs). */
  double[][] extract(ImageBatch images);

  @Override
  void close();
}
