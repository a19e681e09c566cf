package dev.aligntok.trainer.encoders;

/**
 * Straightforward channels-last implementations of the Keras ops, written independently of the
 * DJL layers (loops, doubles, Keras weight layouts, BatchNorm unfolded) to check them against.
 */
final class KerasReference {
  private KerasReference() {}

  /** A single image, height × width × channels, row-major. */
  record Nhwc(int h, int w, int c, float[] v) {
    float at(int y, int x, int ch) {
      return v[(y * w + x) * c + ch];
    }

    static Nhwc fromNchw(float[] nchw, int c, int h, int w) {
      float[] v = new float[nchw.length];
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            v[(y * w + x) * c + ch] = nchw[(ch * h + y) * w + x];
          }
        }
      }
      return new Nhwc(h, w, c, v);
    }

    float[] toNchw() {
      float[] out = new float[v.length];
      for (int ch = 0; ch < c; ch++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            out[(ch * h + y) * w + x] = at(y, x, ch);
          }
        }
      }
      return out;
    }
  }

  static Nhwc pad(Nhwc in, int top, int bottom, int left, int right) {
    int h = in.h() + top + bottom;
    int w = in.w() + left + right;
    float[] v = new float[h * w * in.c()];
    for (int y = 0; y < in.h(); y++) {
      for (int x = 0; x < in.w(); x++) {
        for (int ch = 0; ch < in.c(); ch++) {
          v[((y + top) * w + x + left) * in.c() + ch] = in.at(y, x, ch);
        }
      }
    }
    return new Nhwc(h, w, in.c(), v);
  }

  /** Conv2D, kernel (kh, kw, in, out), "valid" after an explicit symmetric pad. */
  static Nhwc conv(Nhwc in, FloatTensor kernel, int stride, int padding) {
    int[] s = kernel.shape();
    Nhwc x = pad(in, padding, padding, padding, padding);
    int oh = (x.h() - s[0]) / stride + 1;
    int ow = (x.w() - s[1]) / stride + 1;
    float[] out = new float[oh * ow * s[3]];
    float[] k = kernel.values();
    for (int y = 0; y < oh; y++) {
      for (int xo = 0; xo < ow; xo++) {
        for (int o = 0; o < s[3]; o++) {
          double sum = 0;
          for (int ky = 0; ky < s[0]; ky++) {
            for (int kx = 0; kx < s[1]; kx++) {
              for (int i = 0; i < s[2]; i++) {
                sum += x.at(y * stride + ky, xo * stride + kx, i) * (double) k[((ky * s[1] + kx) * s[2] + i) * s[3] + o];
              }
            }
          }
          out[(y * ow + xo) * s[3] + o] = (float) sum;
        }
      }
    }
    return new Nhwc(oh, ow, s[3], out);
  }

  /** DepthwiseConv2D with depth multiplier 1, kernel (kh, kw, channels, 1). */
  static Nhwc depthwise(Nhwc in, FloatTensor kernel, int stride, int padding) {
    int[] s = kernel.shape();
    Nhwc x = pad(in, padding, padding, padding, padding);
    int oh = (x.h() - s[0]) / stride + 1;
    int ow = (x.w() - s[1]) / stride + 1;
    float[] out = new float[oh * ow * in.c()];
    float[] k = kernel.values();
    for (int y = 0; y < oh; y++) {
      for (int xo = 0; xo < ow; xo++) {
        for (int ch = 0; ch < in.c(); ch++) {
          double sum = 0;
          for (int ky = 0; ky < s[0]; ky++) {
            for (int kx = 0; kx < s[1]; kx++) {
              sum += x.at(y * stride + ky, xo * stride + kx, ch) * (double) k[(ky * s[1] + kx) * s[2] + ch];
            }
          }
          out[(y * ow + xo) * in.c() + ch] = (float) sum;
        }
      }
    }
    return new Nhwc(oh, ow, in.c(), out);
  }

  static Nhwc batchNorm(Nhwc in, BatchNormFolding.BatchNorm bn) {
    float[] out = new float[in.v().length];
    for (int i = 0; i < out.length; i++) {
      int ch = i % in.c();
      out[i] = (float) (bn.gamma()[ch] * (in.v()[i] - bn.mean()[ch]) / Math.sqrt(bn.variance()[ch] + bn.epsilon()) + bn.beta()[ch]);
    }
    return new Nhwc(in.h(), in.w(), in.c(), out);
  }

  static Nhwc relu6(Nhwc in) {
    float[] out = in.v().clone();
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(6f, Math.max(0f, out[i]));
    }
    return new Nhwc(in.h(), in.w(), in.c(), out);
  }
}
