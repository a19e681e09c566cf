package dev.aligntok.trainer.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.LatentBatch;
import dev.aligntok.trainer.eval.TokenizerUnderTest;
import dev.aligntok.trainer.nn.Nnpack;
import dev.aligntok.trainer.train.Checkpoints;
import java.nio.file.Path;

/**
 * A tokenizer loaded from a training checkpoint (EMA weights when the checkpoint has them),
 * runnable in inference mode and usable by the evaluation.
 */
public final class TrainedTokenizer implements TokenizerUnderTest, AutoCloseable {
  private final String name;
  private final NDManager manager;
  private final Tokenizer tokenizer;
  private final ParameterStore store;

  private TrainedTokenizer(String name, NDManager manager, Tokenizer tokenizer) {
    this.name = name;
    this.manager = manager;
    this.tokenizer = tokenizer;
    this.store = new ParameterStore(manager, false);
  }

  public static TrainedTokenizer load(String name, Path checkpoint, Path nsfwjsPackage) {
    TokenizerTrainingState state = Checkpoints.readState(checkpoint, TokenizerTrainingState.class);
    Nnpack.disable(); // quiet before its first convolution (see Nnpack)
    NDManager manager = NDManager.newBaseManager();
    try {
      Tokenizer tokenizer = Tokenizer.create(state.tokenizer(), nsfwjsPackage, manager);
      Checkpoints.restoreWeights(checkpoint, tokenizer.parameters().arrays(), manager);
      return new TrainedTokenizer(name, manager, tokenizer);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  public Tokenizer tokenizer() {
    return tokenizer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public LatentBatch encode(ImageBatch images) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = scope.create(images.pixels(), new Shape(images.count(), 3, images.height(), images.width()));
      NDArray z = tokenizer.encode(store, x, false);
      Shape s = z.getShape();
      return new LatentBatch(z.toFloatArray(), (int) s.get(0), (int) s.get(1), (int) s.get(2), (int) s.get(3));
    }
  }

  @Override
  public ImageBatch decode(LatentBatch latents) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray z = scope.create(latents.values(), new Shape(latents.count(), latents.channels(), latents.height(), latents.width()));
      NDArray image = tokenizer.decode(store, z, false);
      Shape s = image.getShape();
      return ImageBatch.fromMinusOneOne(image.toFloatArray(), (int) s.get(0), (int) s.get(2), (int) s.get(3));
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
