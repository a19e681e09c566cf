package dev.aligntok.stream.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.export.bundle.TestBundles;
import dev.aligntok.export.bundle.TinyModels;
import dev.aligntok.inference.image.ImageTensors;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.inference.image.Resize;
import dev.aligntok.inference.manifest.BundleException;
import dev.aligntok.inference.manifest.BundleManifest;
import dev.aligntok.stream.model.BatchEncodeResult;
import dev.aligntok.stream.model.DecodedImage;
import dev.aligntok.stream.model.GeneratedSample;
import dev.aligntok.stream.model.GenerationBatchResult;
import dev.aligntok.stream.model.ValidatedGeneration;
import dev.aligntok.stream.testing.TinyBundles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ports over a real bundle, and hot reload: new id after a swap, refusals keep the old bundle. */
class BundleModelsTest {
  @TempDir Path tmp;

  private static DecodedImage image(String id, int width, int height, int seed) {
    BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        rgb.setRGB(x, y, ((x * 37 + seed) % 256) << 16 | ((y * 53 + seed) % 256) << 8 | (x * y + seed) % 256);
      }
    }
    return new DecodedImage(id, rgb);
  }

  private static ValidatedGeneration request(String id, int classId, String className, long seed, int count) {
    return new ValidatedGeneration(id, classId, className, seed, count, TestBundles.SAMPLER.withSteps(3), true, Map.of());
  }

  @Test
  void latentsAreTheEncoderRunOnTheImagesAfterTheBundlesResize() {
    try (BundleModels models = TinyBundles.serve(tmp.resolve("a"), "a")) {
      List<DecodedImage> images = List.of(image("wide", 20, 9, 1), image("small", 3, 3, 2), image("exact", 8, 8, 3));
      BatchEncodeResult result = models.encoder().encode(images);

      assertEquals(models.bundleId(), result.bundleId());
      assertEquals(3, result.latents().size());
      for (int i = 0; i < images.size(); i++) {
        float[] chw = ImageTensors.toChw(Resize.toSquare(images.get(i).rgb(), 8), Normalization.ZERO_ONE);
        assertArrayEquals(TinyModels.encode(chw, 1), result.latents().get(i).values(), 1e-5f,
            images.get(i).id());
        assertArrayEquals(new int[] {2, 2, 2}, result.latents().get(i).shape());
      }
    }
  }

  @Test
  void imageIOfARequestIsTheOneImageRequestWithSeedPlusI() {
    try (BundleModels models = TinyBundles.serve(tmp.resolve("a"), "a")) {
      GenerationBatchResult batch = models.generator().generate(List.of(request("r", 1, "dog", 40, 3)));
      GenerationBatchResult single = models.generator().generate(List.of(request("s", 1, "dog", 42, 1)));

      List<GeneratedSample> images = batch.samples().get(0);
      assertEquals(List.of(40L, 41L, 42L), images.stream().map(GeneratedSample::seed).toList());
      GeneratedSample alone = single.samples().get(0).get(0);
      assertArrayEquals(alone.png(), images.get(2).png());
      assertArrayEquals(alone.latent().values(), images.get(2).latent().values());
      assertArrayEquals(new int[] {2, 2, 2}, alone.latent().shape());
      assertEquals(8, alone.width());
      assertNotEquals(images.get(0).latent().values()[0], images.get(1).latent().values()[0], "seeds differ, images differ");
      assertEquals(models.bundleId(), batch.bundleId());
      assertEquals(List.of("cat", "dog", "owl"), models.generator().labels().names());
      assertEquals(TestBundles.SAMPLER, models.generator().defaultSettings());
    }
  }

  @Test
  void afterAReloadEveryResultNamesTheNewBundle() {
    try (BundleModels models = TinyBundles.serve(tmp.resolve("a"), "a")) {
      String a = models.bundleId();
      List<DecodedImage> one = List.of(image("x", 8, 8, 9));
      assertEquals(a, models.encoder().encode(one).bundleId());

      String b = models.reload(TinyBundles.write(tmp.resolve("b"), "b"));
      assertNotEquals(a, b);
      assertEquals(b, models.bundleId());
      assertEquals(b, models.encoder().bundleId());
      assertEquals(b, models.encoder().encode(one).bundleId());
      assertEquals(b, models.generator().generate(List.of(request("r", 0, "cat", 1, 1))).bundleId());
    }
  }

  @Test
  void aBundleThatFailsValidationIsRejectedAndTheOldOneServesOn() throws IOException {
    try (BundleModels models = TinyBundles.serve(tmp.resolve("a"), "a")) {
      String a = models.bundleId();
      Path broken = tmp.resolve("broken");
      BundleManifest manifest = TestBundles.writeGenerator(broken, "broken");
      Files.write(broken.resolve(manifest.models().get(BundleManifest.ENCODER).file()), new byte[] {1, 2, 3});

      BundleRejectedException rejected = assertThrows(BundleRejectedException.class, () -> models.reload(broken));
      assertTrue(rejected.getMessage().contains("bundle " + broken + " rejected, still serving " + a), rejected.getMessage());
      assertTrue(rejected.getCause() instanceof BundleException, String.valueOf(rejected.getCause()));
      assertEquals(a, rejected.keptBundleId());
      assertEquals(broken, rejected.rejected());

      BundleRejectedException missing =
          assertThrows(BundleRejectedException.class, () -> models.reload(tmp.resolve("nowhere")));
      assertTrue(missing.getMessage().contains("nowhere"), missing.getMessage());

      assertEquals(a, models.bundleId());
      assertEquals(a, models.encoder().encode(List.of(image("x", 8, 8, 1))).bundleId(), "the old bundle still encodes");
    }
  }

  @Test
  void aTokenizerOnlyBundleCannotReplaceOneThatGenerates() throws IOException {
    try (BundleModels models = TinyBundles.serve(tmp.resolve("a"), "a")) {
      Path tokenizerOnly = tmp.resolve("tok");
      TestBundles.writeTokenizerOnly(tokenizerOnly);
      BundleRejectedException rejected = assertThrows(BundleRejectedException.class, () -> models.reload(tokenizerOnly));
      assertTrue(rejected.getMessage().contains("tokenizer-only"), rejected.getMessage());
      assertTrue(models.canGenerate());
    }
  }

  @Test
  void aTokenizerOnlyBundleServesTheEncoderButRefusesToBeAGenerator() throws IOException {
    Path dir = tmp.resolve("tok");
    TestBundles.writeTokenizerOnly(dir);
    try (BundleModels models = TinyBundles.load(dir)) {
      assertEquals(models.bundleId(), models.encoder().encode(List.of(image("x", 4, 4, 0))).bundleId());
      IllegalStateException refused = assertThrows(IllegalStateException.class, models::generator);
      assertTrue(refused.getMessage().contains("tokenizer-only"), refused.getMessage());
      // ...and may be upgraded to a generating bundle.
      models.reload(TinyBundles.write(tmp.resolve("gen"), "gen"));
      assertTrue(models.canGenerate());
    }
  }

  @Test
  void batchesRunningWhileBundlesAreSwappedNeverFailAndEachNamesABundleThatWasServing() throws Exception {
    Path a = TinyBundles.write(tmp.resolve("a"), "a");
    Path b = TinyBundles.write(tmp.resolve("b"), "b");
    try (BundleModels models = TinyBundles.load(a)) {
      Set<String> ids = Collections.synchronizedSet(new HashSet<>());
      ids.add(models.bundleId());
      ExecutorService batches = Executors.newFixedThreadPool(2);
      List<Future<List<String>>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        results.add(batches.submit(() -> {
          List<String> seen = new ArrayList<>();
          for (int i = 0; i < 150; i++) {
            seen.add(models.encoder().encode(List.of(image("i" + i, 8, 8, i))).bundleId());
          }
          return seen;
        }));
      }
      for (int swap = 0; swap < 8; swap++) {
        ids.add(models.reload(swap % 2 == 0 ? b : a));
      }
      batches.shutdown();
      Set<String> seen = new HashSet<>();
      for (Future<List<String>> result : results) {
        seen.addAll(result.get()); // rethrows any batch failure, e.g. a session closed under it
      }
      assertTrue(ids.containsAll(seen), seen + " vs " + ids);
    }
  }
}
