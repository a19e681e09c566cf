package dev.aligntok.quickstart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.io.SafetensorsWriter;
import dev.aligntok.stream.output.LatentCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The returned latents as one safetensors file: tensor {@code latents} (F32, N × C × H × W, in the
 * order the images were sent; F16 latents from a service configured for them are widened exactly,
 * by {@link LatentCodec#floats}) and, in the metadata, the ids, labels and bundle ids of the rows as
 * JSON arrays (row i is {@code ids[i]}).
 */
public final class LatentsFile {
  public static final String TENSOR = "latents";
  public static final String IDS = "ids";
  public static final String LABELS = "labels";
  public static final String BUNDLE_IDS = "bundle_ids";
  private static final ObjectMapper JSON = new ObjectMapper();

  private LatentsFile() {}

  /**
   * @param latents by image id, in row order (at least one)
   * @throws IllegalArgumentException when the latents differ in shape
   */
  public static void write(Path file, List<LatentEvent> latents) throws IOException {
    if (latents.isEmpty()) {
      throw new IllegalArgumentException("no latents to write to " + file);
    }
    List<Integer> shape = latents.get(0).getLatent().getShape();
    int perRow = shape.stream().mapToInt(Integer::intValue).reduce(1, (a, b) -> a * b);
    float[] all = new float[latents.size() * perRow];
    List<String> ids = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<String> bundles = new ArrayList<>();
    for (int i = 0; i < latents.size(); i++) {
      LatentEvent event = latents.get(i);
      if (!event.getLatent().getShape().equals(shape)) {
        throw new IllegalArgumentException("latent of " + event.getId() + " has shape " + event.getLatent().getShape()
            + ", the first one " + shape + ": they cannot share one tensor");
      }
      System.arraycopy(LatentCodec.floats(event.getLatent()), 0, all, i * perRow, perRow);
      ids.add(event.getId());
      labels.add(event.getLabel());
      bundles.add(event.getBundleId());
    }
    long[] dims = new long[shape.size() + 1];
    dims[0] = latents.size();
    for (int d = 0; d < shape.size(); d++) {
      dims[d + 1] = shape.get(d);
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(IDS, json(ids));
    metadata.put(LABELS, json(labels));
    metadata.put(BUNDLE_IDS, json(bundles));
    SafetensorsWriter.write(file, metadata, List.of(SafetensorsWriter.Tensor.f32(TENSOR, all, dims)));
  }

  private static String json(List<String> values) throws JsonProcessingException {
    return JSON.writeValueAsString(values);
  }
}
