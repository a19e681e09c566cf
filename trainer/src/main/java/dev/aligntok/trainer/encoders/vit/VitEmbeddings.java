package dev.aligntok.trainer.encoders.vit;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Image → token sequence, as DINOv2 builds it: patch tokens, a CLS token in front, learned
 * position embeddings added (CLS gets its own; the patch grid's M×M table is resampled with
 * {@link PositionInterpolation} when the input grid is not M×M), then the register tokens, if any,
 * inserted after CLS without positions. Output (N, 1 + registers + gh·gw, width), patches row-major.
 */
public final class VitEmbeddings extends AbstractBlock {
  private static final byte VERSION = 1;
  private final VitConfig config;
  private final PatchEmbedding patches;
  private final Parameter clsToken;
  private final Parameter positions;
  private final Parameter registers;
  /** Resampling matrices per target grid (gh, gw): computed once, in plain Java. */
  private final Map<Long, float[][]> resampling = new ConcurrentHashMap<>();

  public VitEmbeddings(VitConfig config) {
    super(VERSION);
    this.config = config;
    int width = config.width();
    int grid = config.gridSize();
    this.patches = addChildBlock("patch_embed", new PatchEmbedding(config.patchSize(), width));
    // DINOv2 initialisation: tiny CLS/registers, truncated-normal positions.
    this.clsToken = addParameter(Parameter.builder().setName("cls_token").setType(Parameter.Type.OTHER)
        .optShape(new Shape(1, 1, width)).optInitializer(new NormalInitializer(1e-6f)).build());
    this.positions = addParameter(Parameter.builder().setName("pos_embed").setType(Parameter.Type.OTHER)
        .optShape(new Shape(1, 1 + (long) grid * grid, width)).optInitializer(new TruncatedNormalInitializer(0.02f)).build());
    this.registers = config.registerTokens() == 0 ? null
        : addParameter(Parameter.builder().setName("register_tokens").setType(Parameter.Type.OTHER)
            .optShape(new Shape(1, config.registerTokens(), width)).optInitializer(new NormalInitializer(1e-6f)).build());
  }

  /** Parameters under the original DINOv2 names. */
  public Map<String, Parameter> checkpointParameters() {
    Map<String, Parameter> map = new LinkedHashMap<>();
    map.put("cls_token", clsToken);
    map.put("pos_embed", positions);
    if (registers != null) {
      map.put("register_tokens", registers);
    }
    patches.checkpointParameters().forEach((name, p) -> map.put("patch_embed.proj." + name, p));
    return map;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray image = inputs.singletonOrThrow();
    Device device = image.getDevice();
    // Arrays derived from parameters would otherwise live in the model's manager and pile up
    // there on every forward; keep them with the input instead.
    NDManager manager = image.getManager();
    NDArray map = patches.forward(store, inputs, training).singletonOrThrow();     // N × width × gh × gw
    Shape shape = map.getShape();
    long n = shape.get(0);
    int width = config.width();
    int gh = (int) shape.get(2);
    int gw = (int) shape.get(3);
    NDArray tokens = map.reshape(n, width, (long) gh * gw).transpose(0, 2, 1);
    NDArray table = store.getValue(positions, device, training);
    NDArray clsPosition = attach(table.get(":, :1, :"), manager);
    NDArray cls = clsPosition.add(store.getValue(clsToken, device, training)).broadcast(n, 1, width);
    NDArray patchTokens = tokens.add(patchPositions(attach(table.get(":, 1:, :"), manager), gh, gw));
    NDList sequence = new NDList(cls);
    if (registers != null) {
      sequence.add(attach(store.getValue(registers, device, training).broadcast(n, config.registerTokens(), width), manager));
    }
    sequence.add(patchTokens);
    return new NDList(NDArrays.concat(sequence, 1));
  }

  /**
   * The M×M patch positions {@code table} (1, M², width) resampled to gh×gw as (1, gh·gw, width),
   * or the table itself when the grid matches (as both DINOv2 implementations do). Results live in
   * the table's manager.
   */
  NDArray patchPositions(NDArray table, int gh, int gw) {
    int grid = config.gridSize();
    if (gh == grid && gw == grid) {
      return table;
    }
    int width = config.width();
    float[][] w = resampling.computeIfAbsent(((long) gh << 32) | gw, key -> new float[][] {
        config.positionInterpolation().matrix(grid, gh), transpose(config.positionInterpolation().matrix(grid, gw), gw, grid)});
    NDManager manager = table.getManager();
    NDArray rows = manager.create(w[0], new Shape(gh, grid)).toDevice(table.getDevice(), false);
    NDArray columns = manager.create(w[1], new Shape(grid, gw)).toDevice(table.getDevice(), false);
    NDArray planes = table.reshape(grid, grid, width).transpose(2, 0, 1);          // width × M × M
    NDArray resampled = rows.matMul(planes).matMul(columns);                       // width × gh × gw
    return resampled.reshape(width, (long) gh * gw).transpose(1, 0).expandDims(0);
  }

  private static NDArray attach(NDArray array, NDManager manager) {
    array.attach(manager);
    return array;
  }

  private static float[] transpose(float[] matrix, int rows, int columns) {
    float[] t = new float[matrix.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < columns; c++) {
        t[c * rows + r] = matrix[r * columns + c];
      }
    }
    return t;
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long tokens = (in.get(2) / config.patchSize()) * (in.get(3) / config.patchSize());
    return new Shape[] {new Shape(in.get(0), 1 + config.registerTokens() + tokens, config.width())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    patches.initialize(manager, dataType, inputShapes);
  }
}
