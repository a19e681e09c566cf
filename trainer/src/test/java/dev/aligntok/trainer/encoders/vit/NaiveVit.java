package dev.aligntok.trainer.encoders.vit;

import java.util.Map;

/**
 * A DINOv2 ViT forward pass for one image written as plain loops in double precision, from the
 * weights under their original DINOv2 names — an independent reference for the DJL blocks and the
 * loaders. Only the position-resampling matrices come from {@link PositionInterpolation} (checked
 * against libtorch separately).
 */
final class NaiveVit {
  private final VitConfig config;
  private final Map<String, float[]> w;

  NaiveVit(VitConfig config, Map<String, float[]> weights) {
    this.config = config;
    this.w = weights;
  }

  /** image (C, H, W) → patch features (width, H/p, W/p), row-major. */
  double[] forward(float[] image, int height, int width) {
    int p = config.patchSize();
    int c = config.inChannels();
    int d = config.width();
    int gh = height / p;
    int gw = width / p;
    int patches = gh * gw;
    int r = config.registerTokens();
    int seq = 1 + r + patches;
    double[][] x = new double[seq][d];

    // patch embedding: conv with kernel = stride = p
    float[] pw = w.get("patch_embed.proj.weight");
    float[] pb = w.get("patch_embed.proj.bias");
    double[][] patchTokens = new double[patches][d];
    for (int i = 0; i < gh; i++) {
      for (int j = 0; j < gw; j++) {
        for (int o = 0; o < d; o++) {
          double sum = pb[o];
          for (int ch = 0; ch < c; ch++) {
            for (int ky = 0; ky < p; ky++) {
              for (int kx = 0; kx < p; kx++) {
                sum += pw[((o * c + ch) * p + ky) * p + kx] * image[(ch * height + i * p + ky) * width + j * p + kx];
              }
            }
          }
          patchTokens[i * gw + j][o] = sum;
        }
      }
    }
    // positions: CLS gets pos[0]; patches get the M×M grid, resampled if needed
    float[] pos = w.get("pos_embed");
    int m = config.gridSize();
    double[][] patchPos = new double[patches][d];
    if (gh == m && gw == m) {
      for (int t = 0; t < patches; t++) {
        for (int k = 0; k < d; k++) {
          patchPos[t][k] = pos[(1 + t) * d + k];
        }
      }
    } else {
      float[] wy = config.positionInterpolation().matrix(m, gh);
      float[] wx = config.positionInterpolation().matrix(m, gw);
      for (int i = 0; i < gh; i++) {
        for (int j = 0; j < gw; j++) {
          for (int k = 0; k < d; k++) {
            double sum = 0;
            for (int a = 0; a < m; a++) {
              for (int b = 0; b < m; b++) {
                sum += wy[i * m + a] * wx[j * m + b] * pos[(1 + a * m + b) * d + k];
              }
            }
            patchPos[i * gw + j][k] = sum;
          }
        }
      }
    }
    float[] cls = w.get("cls_token");
    for (int k = 0; k < d; k++) {
      x[0][k] = cls[k] + pos[k];
    }
    float[] reg = w.get("register_tokens");
    for (int t = 0; t < r; t++) {
      for (int k = 0; k < d; k++) {
        x[1 + t][k] = reg[t * d + k];
      }
    }
    for (int t = 0; t < patches; t++) {
      for (int k = 0; k < d; k++) {
        x[1 + r + t][k] = patchTokens[t][k] + patchPos[t][k];
      }
    }

    for (int b = 0; b < config.depth(); b++) {
      String pre = "blocks." + b + ".";
      double[][] h = layerNorm(x, w.get(pre + "norm1.weight"), w.get(pre + "norm1.bias"));
      double[][] a = attention(h, w.get(pre + "attn.qkv.weight"), w.get(pre + "attn.qkv.bias"),
          w.get(pre + "attn.proj.weight"), w.get(pre + "attn.proj.bias"));
      addScaled(x, a, w.get(pre + "ls1.gamma"));
      h = layerNorm(x, w.get(pre + "norm2.weight"), w.get(pre + "norm2.bias"));
      double[][] f;
      if (config.feedForward() == VitConfig.FeedForward.SWIGLU) {
        double[][] both = linear(h, w.get(pre + "mlp.w12.weight"), w.get(pre + "mlp.w12.bias"));
        int hidden = both[0].length / 2;
        double[][] gated = new double[seq][hidden];
        for (int t = 0; t < seq; t++) {
          for (int k = 0; k < hidden; k++) {
            double x1 = both[t][k];
            gated[t][k] = x1 / (1 + Math.exp(-x1)) * both[t][hidden + k];
          }
        }
        f = linear(gated, w.get(pre + "mlp.w3.weight"), w.get(pre + "mlp.w3.bias"));
      } else {
        double[][] hidden = linear(h, w.get(pre + "mlp.fc1.weight"), w.get(pre + "mlp.fc1.bias"));
        for (double[] row : hidden) {
          for (int k = 0; k < row.length; k++) {
            row[k] = 0.5 * row[k] * (1 + erf(row[k] / Math.sqrt(2)));
          }
        }
        f = linear(hidden, w.get(pre + "mlp.fc2.weight"), w.get(pre + "mlp.fc2.bias"));
      }
      addScaled(x, f, w.get(pre + "ls2.gamma"));
    }
    double[][] out = layerNorm(x, w.get("norm.weight"), w.get("norm.bias"));
    double[] map = new double[d * patches];
    for (int t = 0; t < patches; t++) {
      for (int k = 0; k < d; k++) {
        map[k * patches + t] = out[1 + r + t][k];
      }
    }
    return map;
  }

  private double[][] layerNorm(double[][] x, float[] gamma, float[] beta) {
    double[][] y = new double[x.length][];
    for (int t = 0; t < x.length; t++) {
      double mean = 0;
      for (double v : x[t]) {
        mean += v;
      }
      mean /= x[t].length;
      double var = 0;
      for (double v : x[t]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[t].length;
      y[t] = new double[x[t].length];
      for (int k = 0; k < x[t].length; k++) {
        y[t][k] = (x[t][k] - mean) / Math.sqrt(var + config.layerNormEps()) * gamma[k] + beta[k];
      }
    }
    return y;
  }

  /** y = x Wᵀ + b with W stored (out, in) as in PyTorch. */
  private static double[][] linear(double[][] x, float[] weight, float[] bias) {
    int in = x[0].length;
    int out = bias.length;
    double[][] y = new double[x.length][out];
    for (int t = 0; t < x.length; t++) {
      for (int o = 0; o < out; o++) {
        double sum = bias[o];
        for (int i = 0; i < in; i++) {
          sum += weight[o * in + i] * x[t][i];
        }
        y[t][o] = sum;
      }
    }
    return y;
  }

  private double[][] attention(double[][] x, float[] qkvW, float[] qkvB, float[] projW, float[] projB) {
    int d = config.width();
    int heads = config.heads();
    int hd = d / heads;
    int s = x.length;
    double[][] qkv = linear(x, qkvW, qkvB);      // rows: q (d), k (d), v (d); head h at h·hd
    double[][] out = new double[s][d];
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < s; i++) {
        double[] scores = new double[s];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < s; j++) {
          double dot = 0;
          for (int k = 0; k < hd; k++) {
            dot += qkv[i][h * hd + k] * qkv[j][d + h * hd + k];
          }
          scores[j] = dot / Math.sqrt(hd);
          max = Math.max(max, scores[j]);
        }
        double total = 0;
        for (int j = 0; j < s; j++) {
          scores[j] = Math.exp(scores[j] - max);
          total += scores[j];
        }
        for (int j = 0; j < s; j++) {
          for (int k = 0; k < hd; k++) {
            out[i][h * hd + k] += scores[j] / total * qkv[j][2 * d + h * hd + k];
          }
        }
      }
    }
    return linear(out, projW, projB);
  }

  private static void addScaled(double[][] x, double[][] branch, float[] gamma) {
    for (int t = 0; t < x.length; t++) {
      for (int k = 0; k < x[t].length; k++) {
        x[t][k] += gamma[k] * branch[t][k];
      }
    }
  }

  /** erf by its Maclaurin series (exact to ~1e-12 for |x| < 4); ±1 beyond, where 1 − |erf| < 2e-8. */
  static double erf(double x) {
    if (Math.abs(x) >= 4) {
      return Math.signum(x);
    }
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= -x * x / n;
      double add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17) {
        break;
      }
    }
    return 2 / Math.sqrt(Math.PI) * sum;
  }
}
