package dev.aligntok.quickstart;

import dev.aligntok.events.GeneratedImage;
import dev.aligntok.events.GenerationRequest;
import dev.aligntok.events.LatentEvent;
import dev.aligntok.inference.bundle.ModelBundle;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.image.ReconstructionGrid;
import dev.aligntok.inference.image.Resize;
import dev.aligntok.inference.image.SampleGrid;
import dev.aligntok.stream.output.LatentCodec;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The two pictures of a run, drawn with the inference module's grids. */
public final class ResultPictures {
  /** Tiles are enlarged to about this many pixels (64 px images twice, 8 px ones 16 times). */
  private static final int TILE_PIXELS = 128;
  private static final int RECONSTRUCTION_COLUMNS = 8;
  /** Tiles of images that never came: mid grey, visibly not a result. */
  private static final float MISSING = 0.5f;

  private ResultPictures() {}

  /**
   * generated.png: a row per request, its prompt on the left (marked when images are missing), a
   * column per image index.
   */
  public static void generated(Path file, RunTracker tracker, int imageSize, String title) {
    List<GenerationRequest> requests = new ArrayList<>(tracker.inputs().requests().values());
    int columns = requests.stream().mapToInt(GenerationRequest::getCount).max().orElseThrow();
    int floats = ImageBatch.CHANNELS * imageSize * imageSize;
    float[] pixels = new float[requests.size() * columns * floats];
    Arrays.fill(pixels, MISSING);
    List<String> labels = new ArrayList<>();
    ImageDecoder decoder = new ImageDecoder();
    for (int r = 0; r < requests.size(); r++) {
      GenerationRequest request = requests.get(r);
      Map<Integer, GeneratedImage> images = tracker.images(request.getId());
      for (GeneratedImage image : images.values()) {
        if (image.getPng() != null && image.getIndex() >= 0 && image.getIndex() < columns) {
          BufferedImage rgb = decoder.decodeRgb(bytes(image.getPng()), "image " + image.getIndex() + " of " + request.getId());
          ImageTensors.toChw(Resize.toSquare(rgb, imageSize), Normalization.ZERO_ONE, pixels,
              (r * columns + image.getIndex()) * floats);
        }
      }
      labels.add(images.size() == request.getCount() ? request.getPrompt()
          : request.getPrompt() + " (" + images.size() + "/" + request.getCount() + ")");
    }
    SampleGrid.write(file, new ImageBatch(pixels, requests.size() * columns, imageSize, imageSize), labels, columns,
        scale(imageSize), title);
  }

  /**
   * reconstructions.png: each sent image (resized as the encoder saw it) above the image the
   * bundle's decoder makes of the latent the service returned for it.
   *
   * @param latents the returned latents, in row order; each must fit the bundle's latent shape
   */
  public static void reconstructions(Path file, RunTracker tracker, List<LatentEvent> latents, ModelBundle bundle,
                                     String title) {
    int size = bundle.tokenizer().imageSize();
    int perLatent = bundle.tokenizer().latentFloats();
    int floats = ImageBatch.CHANNELS * size * size;
    float[] originals = new float[latents.size() * floats];
    float[] codes = new float[latents.size() * perLatent];
    ImageDecoder decoder = new ImageDecoder();
    for (int i = 0; i < latents.size(); i++) {
      LatentEvent event = latents.get(i);
      float[] values = LatentCodec.floats(event.getLatent());
      if (values.length != perLatent) {
        throw new IllegalArgumentException("latent of " + event.getId() + " has " + values.length + " values, bundle "
            + bundle.id() + " decodes " + perLatent + ": the service runs another bundle");
      }
      System.arraycopy(values, 0, codes, i * perLatent, perLatent);
      BufferedImage original = decoder.decodeRgb(tracker.inputs().sample(event.getId()).png(), event.getId());
      ImageTensors.toChw(Resize.toSquare(original, size), Normalization.ZERO_ONE, originals, i * floats);
    }
    float[] decoded = bundle.tokenizer().decode(codes, latents.size()).pixels();
    ReconstructionGrid.write(file, new ImageBatch(originals, latents.size(), size, size),
        new ImageBatch(decoded, latents.size(), size, size),
        new ReconstructionGrid.Options(Math.min(RECONSTRUCTION_COLUMNS, latents.size()), scale(size), title, true));
  }

  private static int scale(int imageSize) {
    return Math.max(1, Math.min(16, TILE_PIXELS / imageSize));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return bytes;
  }
}
