package dev.aligntok.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aligntok.inference.image.ImageDecoder;
import dev.aligntok.trainer.data.IdxDatasets.Part;
import org.junit.jupiter.api.Test;

/**
 * Checks the readers against the real downloads when the cache ($ALIGNTOK_CACHE or
 * ~/.cache/aligntok) has them; each test is skipped, saying why, when it does not. Offline CI
 * therefore skips these; after `aligntok data fetch` they run (about 2 s).
 */
class RealCacheTest {
  private final DataCache cache = DataCache.resolve(null);

  private void assumeCached(DataSource source) {
    assumeTrue(cache.isPresent(source), source.key() + " is not in the cache at " + cache.root()
        + "; run `aligntok data fetch --only " + source.key() + "` to check the reader against the real data");
  }

  @Test
  void googleEmojiAllDecodeIntoNinetyNineSubcategories() {
    assumeCached(DataSources.EMOJI_GOOGLE);
    ImageDataset emoji = EmojiDataset.read(cache.dataDir(DataSources.EMOJI_GOOGLE),
        EmojiOptions.defaults(EmojiVendor.GOOGLE), new ImageDecoder());
    assertEquals(3786, emoji.size(), emoji.skipped().summary());
    assertEquals(0, emoji.skipped().skippedCount(), emoji.skipped().summary());
    assertEquals(99, emoji.labels().size());
    assertEquals("person-fantasy", emoji.labels().name(emoji.labels().id("santa")));
  }

  @Test
  void idxHeadersMatchThePublishedCounts() {
    assumeCached(DataSources.MNIST);
    assumeCached(DataSources.FASHION_MNIST);
    for (DataSource source : new DataSource[] {DataSources.MNIST, DataSources.FASHION_MNIST}) {
      assertArrayEquals(new int[] {60000, 28, 28},
          IdxReader.readHeader(IdxDatasets.imagesFile(cache.dataDir(source), Part.TRAIN)).dims());
      assertArrayEquals(new int[] {10000},
          IdxReader.readHeader(IdxDatasets.labelsFile(cache.dataDir(source), Part.TEST)).dims());
    }
  }
}
