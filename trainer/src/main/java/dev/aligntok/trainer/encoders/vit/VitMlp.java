package dev.aligntok.trainer.encoders.vit;

import dev.aligntok.trainer.nn.DirectParameters;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;

/** The ViT feed-forward network: Linear → GELU (exact, erf form) → Linear, per token. */
public final class VitMlp extends AbstractBlock {
  private static final byte VERSION = 1;
  private final Linear fc1;
  private final Linear fc2;

  public VitMlp(int width, int hidden) {
    super(VERSION);
    this.fc1 = addChildBlock("fc1", Linear.builder().setUnits(hidden).build());
    this.fc2 = addChildBlock("fc2", Linear.builder().setUnits(width).build());
    fc1.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
    fc2.setInitializer(new TruncatedNormalInitializer(0.02f), Parameter.Type.WEIGHT);
  }

  /** {@code fc1.weight} (hidden, width), {@code fc1.bias}, {@code fc2.weight}, {@code fc2.bias}. */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>();
    DirectParameters.put(map, "fc1.", fc1);
    DirectParameters.put(map, "fc2.", fc2);
    return map;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList hidden = fc1.forward(store, inputs, training);
    return fc2.forward(store, new NDList(Activation.gelu(hidden.singletonOrThrow())), training);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {inputShapes[0]};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    fc1.initialize(manager, dataType, inputShapes);
    fc2.initialize(manager, dataType, fc1.getOutputShapes(inputShapes));
  }
}
