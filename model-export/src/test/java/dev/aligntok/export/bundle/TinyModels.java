package dev.aligntok.export.bundle;

import dev.aligntok.export.onnx.OnnxGraph;
import dev.aligntok.inference.manifest.BundleManifest.Latent;
import dev.aligntok.inference.sampling.ConditionTable;
import dev.aligntok.inference.sampling.VelocityField;
import java.util.List;

/**
 * Three tiny real ONNX graphs that honour the bundle's model contract, each with a pure-Java
 * reference of the same formula, so runtime results can be checked number by number:
 * <pre>
 *   encoder  latent[o,y,x] = bE[o] + Σ_c wE[o,c] · Σ_{4×4 block} image[c, 4y+i, 4x+j]     (a strided conv)
 *   decoder  image[c,y,x]  = bD[c] + Σ_o wD[c,o] · latent[o, y/4, x/4]                   (nearest ×4, 1×1 conv)
 *   dit      velocity      = latent · (0.5 + 0.5·t) + table[class]                        (per-row scalars)
 *   text dit velocity      = latent · (0.5 + 0.5·t) + Σ_j wT[j] · text_embedding[j]           (a projection)
 * </pre>
 * Image side 8, latent 2×2×2. Public, and shipped in model-export's test-jar, so other modules'
 * tests (stream-app, tests) run the real runtime on bundles they can check number by number.
 */
public final class TinyModels {
  public static final int SIZE = 8;
  public static final int CHANNELS = 2;
  public static final int GRID = 2;
  public static final int FACTOR = SIZE / GRID;
  public static final int LATENT_SIZE = CHANNELS * GRID * GRID;
  public static final Latent LATENT = new Latent(CHANNELS, GRID, GRID, List.of(0.25f, -0.5f), List.of(1.5f, 0.75f));
  public static final List<String> LABELS = List.of("cat", "dog", "owl");

  private static final float[] ENCODER_BIAS = {0.1f, -0.2f};
  private static final float[] DECODER_BIAS = {0.05f, -0.1f, 0.2f};

  private TinyModels() {}

  public static float encoderWeight(int out, int in) {
    return (out + 1) * (in + 2) / (16f * 10f) * (out == 1 ? -1f : 1f);
  }

  public static float decoderWeight(int out, int in) {
    return 0.3f * (out - 1) + 0.2f * (in + 1);
  }

  /** table[class] for classes 0..labels, the last one the null class. */
  public static float classBias(int classId) {
    return 0.1f * classId - 0.15f;
  }

  public static OnnxGraph encoder() {
    return encoder(SIZE);
  }

  /** The encoder for images of side {@code size} (a multiple of the grid), still to a 2×2×2 latent. */
  public static OnnxGraph encoder(int size) {
    int factor = size / GRID;
    OnnxGraph g = new OnnxGraph("tiny_encoder");
    String image = g.input("image", 3, size, size);
    float[] w = new float[CHANNELS * 3 * factor * factor];
    for (int o = 0; o < CHANNELS; o++) {
      for (int c = 0; c < 3; c++) {
        for (int k = 0; k < factor * factor; k++) {
          w[(o * 3 + c) * factor * factor + k] = encoderWeight(o, c);
        }
      }
    }
    String weight = g.initializer("w", w, CHANNELS, 3, factor, factor);
    String bias = g.initializer("b", ENCODER_BIAS, CHANNELS);
    String latent = g.conv(image, weight, bias, new long[] {factor, factor}, new long[] {factor, factor},
        new long[] {0, 0}, new long[] {1, 1}, 1);
    g.output(latent, "latent", CHANNELS, GRID, GRID);
    return g;
  }

  public static OnnxGraph decoder() {
    OnnxGraph g = new OnnxGraph("tiny_decoder");
    String latent = g.input("latent", CHANNELS, GRID, GRID);
    float[] w = new float[3 * CHANNELS];
    for (int c = 0; c < 3; c++) {
      for (int o = 0; o < CHANNELS; o++) {
        w[c * CHANNELS + o] = decoderWeight(c, o);
      }
    }
    String up = g.upsampleNearest(latent, FACTOR);
    String image = g.conv(up, g.initializer("w", w, 3, CHANNELS, 1, 1), g.initializer("b", DECODER_BIAS, 3),
        new long[] {1, 1}, new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1);
    g.output(image, "image", 3, SIZE, SIZE);
    return g;
  }

  /** The dit with a class table for {@code classes} labels plus the null class, and the given input name for the latent. */
  public static OnnxGraph dit(int classes, String latentInputName) {
    OnnxGraph g = new OnnxGraph("tiny_dit");
    String latent = g.input(latentInputName, CHANNELS, GRID, GRID);
    String t = g.input("t");
    String classId = g.inputInt64("class");
    float[] table = new float[classes + 1];
    for (int k = 0; k <= classes; k++) {
      table[k] = classBias(k);
    }
    String scale = g.add(g.mul(g.reshape(t, -1, 1, 1, 1), g.scalar(0.5f)), g.scalar(0.5f));
    String bias = g.reshape(g.op("Gather", List.of(g.initializer("table", table, classes + 1), classId)), -1, 1, 1, 1);
    g.output(g.add(g.mul(latent, scale), bias), "velocity", CHANNELS, GRID, GRID);
    return g;
  }

  public static OnnxGraph dit() {
    return dit(LABELS.size(), "latent");
  }

  /** wT[j] of the text dit: different prompts project to different biases. */
  public static float textWeight(int j) {
    return ((j * 37) % 11 - 5) / 4f;
  }

  /** The text dit for embeddings of {@code dim} floats (384 for the project's text encoder). */
  public static OnnxGraph textDit(int dim) {
    OnnxGraph g = new OnnxGraph("tiny_text_dit");
    String latent = g.input("latent", CHANNELS, GRID, GRID);
    String t = g.input("t");
    String text = g.input("text_embedding", dim);
    float[] w = new float[dim];
    for (int j = 0; j < dim; j++) {
      w[j] = textWeight(j);
    }
    String scale = g.add(g.mul(g.reshape(t, -1, 1, 1, 1), g.scalar(0.5f)), g.scalar(0.5f));
    String bias = g.reshape(g.matMul(text, g.initializer("w_text", w, dim, 1)), -1, 1, 1, 1);
    g.output(g.add(g.mul(latent, scale), bias), "velocity", CHANNELS, GRID, GRID);
    return g;
  }

  // ---------------------------------------------------------------- pure-Java references

  public static float[] encode(float[] images, int n) {
    float[] out = new float[n * LATENT_SIZE];
    for (int i = 0; i < n; i++) {
      for (int o = 0; o < CHANNELS; o++) {
        for (int y = 0; y < GRID; y++) {
          for (int x = 0; x < GRID; x++) {
            double sum = ENCODER_BIAS[o];
            for (int c = 0; c < 3; c++) {
              for (int dy = 0; dy < FACTOR; dy++) {
                for (int dx = 0; dx < FACTOR; dx++) {
                  sum += encoderWeight(o, c) * images[((i * 3 + c) * SIZE + y * FACTOR + dy) * SIZE + x * FACTOR + dx];
                }
              }
            }
            out[((i * CHANNELS + o) * GRID + y) * GRID + x] = (float) sum;
          }
        }
      }
    }
    return out;
  }

  /** The decoder's raw output, in [-1, 1] space, unclamped. */
  public static float[] decodeRaw(float[] latents, int n) {
    float[] out = new float[n * 3 * SIZE * SIZE];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < SIZE; y++) {
          for (int x = 0; x < SIZE; x++) {
            double sum = DECODER_BIAS[c];
            for (int o = 0; o < CHANNELS; o++) {
              sum += decoderWeight(c, o) * latents[((i * CHANNELS + o) * GRID + y / FACTOR) * GRID + x / FACTOR];
            }
            out[((i * 3 + c) * SIZE + y) * SIZE + x] = (float) sum;
          }
        }
      }
    }
    return out;
  }

  /** Decoder output to displayable pixels: clamp((y + 1) / 2, 0, 1). */
  public static float[] decodeToUnit(float[] latents, int n) {
    float[] raw = decodeRaw(latents, n);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = Math.max(0f, Math.min(1f, (raw[i] + 1f) / 2f));
    }
    return raw;
  }

  public static final VelocityField VELOCITY = (latents, t, classes, n, dim) -> {
    float[] v = new float[n * dim];
    for (int i = 0; i < n; i++) {
      float scale = t[i] * 0.5f + 0.5f;
      for (int j = 0; j < dim; j++) {
        v[i * dim + j] = latents[i * dim + j] * scale + classBias(classes[i]);
      }
    }
    return v;
  };

  /** The text dit's formula over condition vectors. */
  public static ConditionTable.VectorField textVelocity(int textDim) {
    return (latents, t, conditions, n, dim) -> {
      float[] v = new float[n * dim];
      for (int i = 0; i < n; i++) {
        double bias = 0;
        for (int j = 0; j < textDim; j++) {
          bias += textWeight(j) * conditions[i * textDim + j];
        }
        float scale = t[i] * 0.5f + 0.5f;
        for (int k = 0; k < dim; k++) {
          v[i * dim + k] = latents[i * dim + k] * scale + (float) bias;
        }
      }
      return v;
    };
  }

  /** Normalised latents to raw: x·std + mean per channel. */
  public static float[] denormalise(float[] x) {
    float[] out = new float[x.length];
    int plane = GRID * GRID;
    for (int j = 0; j < x.length; j++) {
      int c = (j / plane) % CHANNELS;
      out[j] = x[j] * LATENT.std().get(c) + LATENT.mean().get(c);
    }
    return out;
  }

  /** Images with values spread over [0, 1]: n × 3 × 8 × 8. */
  public static float[] images(int n, long seed) {
    float[] images = new float[n * 3 * SIZE * SIZE];
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int k = 0; k < images.length; k++) {
      images[k] = (float) random.nextDouble();
    }
    return images;
  }
}
