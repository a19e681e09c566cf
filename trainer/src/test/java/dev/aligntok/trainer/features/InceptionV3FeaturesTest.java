package dev.aligntok.trainer.features;

import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.encoders.NsfwjsPackage;
import dev.aligntok.trainer.encoders.SyntheticImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.aligntok.trainer.encoders.TfjsLayersModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The DJL InceptionV3 (nsfwjs@4.4.0, up to {@code mixed5}) against TensorFlow.js. The golden
 * numbers below were produced by {@code tools/golden/inception-v3-golden.js} (run from tools/golden after npm ci, with
 * {@code NODE_PATH=tools/golden/node_modules}) on the pure-JS CPU backend, tfjs 4.22.0, from the
 * synthetic image of tools/golden ({@link SyntheticImage}) at 131×157 — a non-square size, so
 * height/width mix-ups and the 1×7 / 7×1 kernels are exercised.
 */
class InceptionV3FeaturesTest {
  private static final int HEIGHT = 131;
  private static final int WIDTH = 157;
  private static final long[] SHAPE = {1, 768, 6, 8};
  private static final double MAX_ABS = 5.223395824432373;
  /** Global average of the mixed5 map per channel (float32 little-endian, base64). */
  private static final String POOLED_BASE64 =
      "YBVTPrVcrztmWSE/ceNIOwfIvTyTeiE+LAFuPkgdSD7Ljwg/CpyNPdc2PT+7ODs+AAAAAM12/z64e2I+g87gPA39lT4AAAAAvYCC"
      + "PhHTkT97CFQ/5x5SPiHb0j4jmSg+1K5PPmF/tT2vt6I+XE29PkQxrT1dpRA+1XwdPgRtFD7yi5k/W/+BPYPgEz5TJjU/AAAAALd7"
      + "Cj7RXnA/jlIkPgAAAAABNiI/MkYPPgAAAAAvZUU9ITk0P4lqeD9zQL0/PdmyPTs3yD7N6sM/AAAAAJHtwT/h7pI+aeOUPvhXzD03"
      + "mP4++F9gP0MRoT5thkk/OJexPzkxuz8AAAAAX+dqPpMW7D0ChY48sYUFP5UVET7XIL0/X11HP6F5uz55nlI/AAAAALOwUUCYdUs9"
      + "gcfRPM1OvDvhzIA+zSG/PetmPj45+XY/Pr6JPh1aEj07iho9AAAAAOqKBj9oFDs/RYMHPzspcj9YBjU/fFvZPfy+6j9747w++9Tx"
      + "PDRdQD/nIgI/SZ8JP5BdyDzwSmg/AAAAAACncjz86Vc89U1YPhznnD9/ZJA7JM9NPHM8UD7zZNQ+O3gnPTGAtT0AAAAAJd1OPwAA"
      + "AAAPBpE+EO+0O7hz0D0/rSA+NRVlPzjXWjoFgpY9h2PuO1PVlD7rOC89G5ksPonrRj6pYpg8ODamPjTLYT9hiIQ//u8kPl26aT7p"
      + "+kY+AAAAADiKrj6P634+j0KjPgAAAABdaw4/lSlCPtubXT1cQw8/0EZrP0f94z4ndLo7qQ5uPvRvpT2sFdo9pd59PBtZgD8AAAAA"
      + "sSxFPEeUND/bHN89GeiKPx0ofD3mNwI+6S9CPQ8ZLDykRZo+P+w5P4yxEz2gwsk+4P4/P2iaaD8AAAAAoPJBP+3LPzxj8q099NyQ"
      + "PAAAAADH4Pk8+AtPP7/Fuz+7IKA+msYnP/MsHz654w4+PcF2Pq1eXz3LDLU+QAPcPhQVrT68YCw/80hCP482+D7wHNk++8AcP0gs"
      + "mz4AAAAAb0IEP0AZRT6g7Ao+tzNEPP1dnz0w4IA8NukkPyOZmT0YDko/3eqmPITbTT7fjVw+yAXgPED8sT7Y09A+AAAAADzanjzt"
      + "6L4+NylvPaAmIz43RJw+hNpwPmOxhz69Co48xNdVPsMCUD19U689VAjGPk8oyjpF6s0+98cGP5lWnj5DNFs9BRprPAjfoT0AAAAA"
      + "o7osPI7Xlz0t0Iw9ux5kPpzqDD11tng94Qc7PjOF5T7EtD88T3S/PfH09TwMw5A9CssAPw8pzz7/U1Q9Om6MPT0viT870989IDOg"
      + "Pu2h2D5d1vE9IId7PuyMTz5mCCI+UOsDPRyuvz7IwTM983IGPuuq6jvFX3Q/88WqPb/zcz0kwgg7s9HdPvDxOD19NGg+R5W9PlfI"
      + "2D1RuDM/IkUIPqhDxz3CRKE97bijPlMpcD1AUKE8d91wPOgxRD7DpVw9R7LhPsmURT3jxvg8Kzi5PgMPNDrVkQI/s8idPdhjFz2M"
      + "8sA+JFK0PQ9Exj7h1cM8S60KP+RPIj5whYc+6eVaPezmcz8N9RA/b/2iPptumD4NsPE+z1+JOxfGij0Lsbk9AAAAAOUwyD6ziYU+"
      + "g36tPbCswj1ocWo/wRGiPslrmT47nz4/iT4HPxQ+bz2FsOA3n3MCPtHBjz5AAYM+b+/EPByE8j7rAgg/szYdPtJ/hzwxJ+U9SICw"
      + "Pu0PRT7B/Iw994r8PYL0oD4LAJg9KbdkPgAAAADr9Pk+g81TPh0yxD3PZRU+3EMuP2kz1T5VLfk9DExTPm1vdD7JRQo/aRWjPsd9"
      + "CD0J/IU8o90SPDNLmD7HOs0+W5KVPmwXnzwv/1M9mA6ZPewoXz4AAAAACxvZPdgT6D496Co+dT2cPmmUjj7HTI88Wj8DPzS2Xz/v"
      + "2pg+/9DiPPixMD4b9FI8ECq3PrUZZT19TlQ9T5iYPdjkZz4Xno4/QlogPwQ/5z6t7RQ9beReOsmJPT/nPRk+C4LHPivKPj6kaXc8"
      + "oDUMPetDmj55Qes9RQWxPc39kT1tUHc+KEAmPWezRz5Z9cA+F7NKPgAAAAB7F3Q9AAAAAIMyOTwMHCc9Z0EjPAAAAAAWCxI+e+8R"
      + "PjVFZjtBiQs9a9UJP4vF5jyKh6c+GXyAPgAAAAAD7Ws+/yAwPPsX2j0AAAAAAAAAAKNxuz4AAAAAAAAAAEPaBD3nzq4+2Y+EOliJ"
      + "hj13wzY/i0DYOgAAAAAAAAAAmqOIPtaQjT6/ebo+/5qVPbzqID5pUL8+gE3mPj2zAT81pvo+/Tl6PgAAAAAAAAAASzjQOodZPj2r"
      + "Iak86dYYO0CfvTyt0to9AAAAALG8pDs+TZs++9LMOwhmujhAyD89s8LfPD/RnT2lh907TJU/PMFunz3fQ/Y9AAAAAIn7Vj5ASAM9"
      + "AAAAAAAAAAAUH4c8l2x6P6vcxD7lKBQ83XEbPizMEj4X7MU8cWdLPBZLFj0AAAAAgvYAPQsEMT7AgJQ9xb97O1R6Ej5wsMk9AAAA"
      + "ACeEsj2J7l4/AAAAAGPJPD8AAAAAhLsAPQAAAAAGSJg9tNvzPQEM9D21ZuQ+RbCyPgAAAABELro7pcXHPeD78T53Hd09AAAAAAAA"
      + "AAAAWFA9AAAAABG3Yj4sDWU+AAAAAAAAAAAAAAAAAAAAAAAAAACvaC08AAAAANfqHT2d1LI7DUmnPQSZPD4AAAAAaSSqPgAAAAAc"
      + "TxQ9zy7TO8jFQzzDPck8AAAAADCA2j0I6kg9tB/6PfNJKj4AAAAAAAAAADUmojvkmpA8LVVCP9GQ6zsAAAAAGaruOmAlRD+ZJt49"
      + "z62qPIP20zkAAAAA+H27PmOh6zylz2U8AAAAAKmXeD5rG9c+CRioPSFS0DzxKQ0/4xBkPp9aiT1NUs49NPE2O7vbuz0ZQ/U9k+35"
      + "PG0Rsj4lHHI8AAAAAH+JAT2XW34+Ef7fO2QZHz1VG3w9AAAAAIHkGD8nhTk8wPmAPNVgID0426E77EtYPoQAujsA7qs9fdjnPgAA"
      + "AAChBgU/uVyUPnl02TsD3r87cQmTPgjFhTwov689/cLEPqMgsj4gODU+sxbHPJ14MT5Z/lY+ocQvPgAAAADpbNk7AAAAAAAAAAD5"
      + "Djg9MTCFPuvihT+xM7w+RdtmPVSkND9lln09AAAAAAAAAADkSIE9E1FjPoxFPD4AAAAA4tOcP/u4ij6zvKg9FUR3P8Wa3D4AAAAA"
      + "pEUdPgAAAAATv7k9AAAAAF2GmjzZ/AI/AAAAAJE6Ez86Mwo/w1DpPBG9Rj8AAAAAAAAAAIA7zDs91Qg++QgTPwAAAAAAAAAAI/j+"
      + "Piv2xDxxB0k7AAAAAAAAAAAAAAAAWAvJPgAAAAAAAAAAAAAAAAAAAADofts9RxOMPhsxAz0nqIU9sPgIPwAAAACr39k8AAAAAAAA"
      + "AAAAAAAAY1/9O/TbsTsAAAAAp8KwPQAAAADr1Lg7pxVgPQAAAABVLPE7bdGgO9PK1z7bOgI9o6iwPn62FT0AAAAAv+QhPQAAAAAr"
      + "PlQ8zCFbPxtz3zw73S0+h++lPgcuGD4AAAAAkAuPPQAAAAATsA8/AAAAAAAAAAB9/os+T+loO7DM3T7t8EI++1uhPQ8HBj+0GBI+"
      + "AAAAAFJQhT9wYWM+AAAAAPPHOT0AAAAAgx/yPrm0pT3nmsk+NDFlPdtoOj0AAAAAC81yPvxe/j0Hufw+7aCzP4uolD7gWlc/AAAA"
      + "ACuD9z0r8e0+AAAAAJhFzjsAAAAAxzOrPQAAAABTSsU+B1ZrPqegij0bQe0+la88OwAAAADFbv8+4GQePk1T3Du88ec//3MAP/9A"
      + "tDw9wPw9DcltPeXlQjxV8kg+ccP+PQAAAACcLS0+MHXqPgAAAAAAAAAA7BVHPl5CFjsVvjw9iV8iPR5IAD4AAAAABfyRPI9dOz/P"
      + "HRM+AAAAAFfZHT8hG4g+yaLkPvka3j0AAAAA+3PJPgAAAABrawc+aGlaP7z76z7w/0s8AAAAAIsc0D0h5RE9AAAAAOPaGj8AAAAA"
      + "mPArPAAAAACDARk9AAAAAIeYCj8AAAAArXkqPHDMPzyAGOM+n82gPM0j0j3LlI4905XsPgAAAAAAAAAAXYpnO0Ew0zsAAAAA";
  /** {channel, y, x, value}: each channel's largest activation and where it is. */
  private static final double[][] SPOTS = {
      {0, 5, 7, 2.262192487716675},
      {5, 5, 7, 1.338796615600586},
      {100, 0, 7, 0.4067918360233307},
      {200, 2, 0, 1.3859182596206665},
      {300, 0, 7, 0.7336769700050354},
      {500, 4, 7, 0.14108747243881226},
      {640, 0, 6, 0.09056882560253143},
      {50, 0, 5, 3.5153839588165283}
  };
  private static final double MAX_RELATIVE_ERROR = 1e-4;

  @Test
  void mixed5MatchesTensorFlowJs() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    TfjsLayersModel model = TfjsLayersModel.load(InceptionV3Features.modelDirectory(nsfwjs));
    try (NDManager manager = NDManager.newBaseManager();
        FrozenKerasGraph graph = FrozenKerasGraph.truncated(model, "mixed5", manager)) {
      assertEquals(768, graph.outputChannels());
      NDArray image = manager.create(SyntheticImage.unitRangeChw(HEIGHT, WIDTH), new Shape(1, 3, HEIGHT, WIDTH));
      NDArray map = graph.forward(image.mul(2f).sub(1f));
      assertArrayEquals(SHAPE, map.getShape().getShape(), "mixed5 shape");
      float[] values = map.toFloatArray();
      int h = (int) SHAPE[2];
      int w = (int) SHAPE[3];

      double maxDiff = 0;
      for (double[] spot : SPOTS) {
        int c = (int) spot[0];
        double actual = values[(c * h + (int) spot[1]) * w + (int) spot[2]];
        maxDiff = Math.max(maxDiff, Math.abs(actual - spot[3]));
      }
      float[] pooled = decode(POOLED_BASE64);
      for (int c = 0; c < pooled.length; c++) {
        double sum = 0;
        for (int k = 0; k < h * w; k++) {
          sum += values[c * h * w + k];
        }
        maxDiff = Math.max(maxDiff, Math.abs(sum / (h * w) - pooled[c]));
      }
      System.out.printf(Locale.ROOT, "inception_v3 mixed5 %dx%d: max |DJL - TF.js| %.3e (max |TF.js| %.3f)%n",
          HEIGHT, WIDTH, maxDiff, MAX_ABS);
      assertTrue(maxDiff <= MAX_RELATIVE_ERROR * MAX_ABS, "max |diff| " + maxDiff + " exceeds " + MAX_RELATIVE_ERROR
          + " of max |TF.js| " + MAX_ABS);
    }
  }

  @Test
  void extractorPoolsMixed5AndNamesItsSpace() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    try (InceptionV3Features features = InceptionV3Features.fromNsfwjs(nsfwjs, "mixed5", 96, 4)) {
      assertEquals(768, features.dimensions());
      assertEquals("inception_v3@mixed5/gap@96px", features.name());
      float[] pixels = new float[2 * 3 * 40 * 40];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (i % 97) / 96f;
      }
      double[][] x = features.extract(new ImageBatch(pixels, 2, 40, 40));
      assertEquals(2, x.length);
      assertEquals(768, x[0].length);
      for (double v : x[0]) {
        assertTrue(v >= 0 && Double.isFinite(v), "mixed5 follows ReLUs, so pooled values are >= 0: " + v);
      }
    }
  }

  @Test
  void refusesFineTunedLayers() {
    Path nsfwjs = NsfwjsPackage.locateOrSkip();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InceptionV3Features.fromNsfwjs(nsfwjs, "mixed6", 299, 4));
    assertTrue(e.getMessage().contains("fine-tuned"), e.getMessage());
  }

  private static float[] decode(String base64) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(out);
    return out;
  }
}
