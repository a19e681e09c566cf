package dev.aligntok.trainer.latents;

import static dev.aligntok.trainer.latents.LatentExtractorTest.extractor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aligntok.trainer.data.Sample;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction is resumable: a rerun redoes exactly the shards that are not provably complete
 * (record deleted, file cut short, crash mid-write) and ends with the same bytes as an
 * uninterrupted run; a different extraction is refused rather than mixed in.
 */
class LatentExtractorResumeTest {
  private static final List<String> LABELS = List.of("disc", "square");
  /** 10 images in shards of 3: three full shards and one of 1; batches of 2 inside a shard. */
  private static final ExtractionOptions OPTIONS = new ExtractionOptions(3, 2, true, false);

  private static ExtractionInput input() {
    return new ExtractionInput("shapes", "all", TinyTokenizer.shapes(10), LABELS, Map.of(), null);
  }

  @Test
  void onlyIncompleteShardsAreRedoneAndTheResultIsIdentical(@TempDir Path dir) throws Exception {
    ExtractionResult first = extractor(TinyTokenizer.tokenizer()).extract(input(), dir, OPTIONS);
    assertEquals(4, first.written().size());
    Map<String, byte[]> before = contents(dir);

    Files.delete(dir.resolve("shard-00000.done.json"));                       // crashed after the rename
    try (FileChannel shard = FileChannel.open(dir.resolve("shard-00001.safetensors"), StandardOpenOption.WRITE)) {
      shard.truncate(shard.size() / 2);                                        // cut short
    }
    Files.delete(dir.resolve("shard-00002.safetensors"));                      // crashed mid-write
    Files.writeString(dir.resolve("shard-00002.safetensors.tmp"), "half a shard");
    Files.writeString(dir.resolve("index.json.tmp"), "{");

    TinyTokenizer.Counting counting = new TinyTokenizer.Counting(TinyTokenizer.tokenizer());
    ExtractionResult second = extractor(counting).extract(input(), dir, OPTIONS);

    assertEquals(List.of("shard-00000.safetensors", "shard-00001.safetensors", "shard-00002.safetensors"), second.written());
    assertEquals(List.of("shard-00003.safetensors"), second.reused());
    assertEquals(2 * 9, counting.images.get(), "9 images of the redone shards, and their flips; nothing else");
    assertEquals(before.keySet(), contents(dir).keySet(), "no temporary files left");
    contents(dir).forEach((name, bytes) -> assertArrayEquals(before.get(name), bytes, name + " identical to the first run"));
    assertEquals(10, LatentSet.read(dir).count());

    TinyTokenizer.Counting third = new TinyTokenizer.Counting(TinyTokenizer.tokenizer());
    ExtractionResult again = extractor(third).extract(input(), dir, OPTIONS);
    assertEquals(4, again.reused().size());
    assertEquals(0, third.images.get(), "a complete directory is verified, not recomputed");
  }

  @Test
  void aCrashedRunResumesWhereItStopped(@TempDir Path straight, @TempDir Path crashed) throws Exception {
    extractor(TinyTokenizer.tokenizer()).extract(input(), straight, OPTIONS);

    // Shard 0 takes 4 calls (batches of 2 and 1, each with its flip); the 6th call, in shard 1, fails.
    TinyTokenizer.Counting failing = new TinyTokenizer.Counting(TinyTokenizer.tokenizer(), 5);
    assertThrows(IllegalStateException.class, () -> extractor(failing).extract(input(), crashed, OPTIONS));
    assertTrue(Files.exists(crashed.resolve("shard-00000.done.json")));
    assertFalse(Files.exists(crashed.resolve("shard-00001.safetensors")));
    IllegalArgumentException unfinished = assertThrows(IllegalArgumentException.class, () -> LatentSet.read(crashed));
    assertTrue(unfinished.getMessage().contains("did not finish"), unfinished.getMessage());

    ExtractionResult resumed = extractor(TinyTokenizer.tokenizer()).extract(input(), crashed, OPTIONS);
    assertEquals(List.of("shard-00000.safetensors"), resumed.reused());
    assertEquals(3, resumed.written().size());
    Map<String, byte[]> expected = contents(straight);
    Map<String, byte[]> actual = contents(crashed);
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name + " as in an uninterrupted run"));

    // A complete directory that needs a shard redone loses its index until the redo has finished.
    Files.delete(crashed.resolve("shard-00002.done.json"));
    assertThrows(IllegalStateException.class,
        () -> extractor(new TinyTokenizer.Counting(TinyTokenizer.tokenizer(), 0)).extract(input(), crashed, OPTIONS));
    assertFalse(Files.exists(crashed.resolve(LatentExtractor.INDEX)), "no index while a shard is missing");
    extractor(TinyTokenizer.tokenizer()).extract(input(), crashed, OPTIONS);
    assertArrayEquals(expected.get(LatentExtractor.INDEX), Files.readAllBytes(crashed.resolve(LatentExtractor.INDEX)));
  }

  @Test
  void aDifferentExtractionIsRefusedUnlessOverwriting(@TempDir Path dir, @TempDir Path foreign) throws Exception {
    extractor(TinyTokenizer.tokenizer()).extract(input(), dir, OPTIONS);

    IllegalArgumentException shardSize = assertThrows(IllegalArgumentException.class,
        () -> extractor(TinyTokenizer.tokenizer()).extract(input(), dir, new ExtractionOptions(4, 2, true, false)));
    assertTrue(shardSize.getMessage().contains("shardSize: 3 -> 4"), shardSize.getMessage());
    assertTrue(shardSize.getMessage().contains("--overwrite"), shardSize.getMessage());
    ExtractionInput otherData = new ExtractionInput("other", "all", TinyTokenizer.shapes(10), LABELS, Map.of(), null);
    IllegalArgumentException dataset = assertThrows(IllegalArgumentException.class,
        () -> extractor(TinyTokenizer.tokenizer()).extract(otherData, dir, OPTIONS));
    assertTrue(dataset.getMessage().contains("dataset: \"shapes\" -> \"other\""), dataset.getMessage());
    List<Sample> fewer = TinyTokenizer.shapes(9);
    assertThrows(IllegalArgumentException.class, () -> extractor(TinyTokenizer.tokenizer())
        .extract(new ExtractionInput("shapes", "all", fewer, LABELS, Map.of(), null), dir, OPTIONS));

    ExtractionResult otherBatch = extractor(TinyTokenizer.tokenizer()).extract(input(), dir, new ExtractionOptions(3, 5, true, false));
    assertEquals(4, otherBatch.reused().size(), "the batch size is not part of the extraction's identity");

    ExtractionResult overwritten = extractor(TinyTokenizer.tokenizer()).extract(input(), dir, new ExtractionOptions(4, 2, false, true));
    assertEquals(3, overwritten.written().size());
    assertFalse(Files.exists(dir.resolve("shard-00003.safetensors")), "the old extraction's files are gone");
    assertNull(LatentSet.read(dir).flippedLatents());

    Files.writeString(foreign.resolve("notes.txt"), "mine");
    IllegalArgumentException notEmpty = assertThrows(IllegalArgumentException.class,
        () -> extractor(TinyTokenizer.tokenizer()).extract(input(), foreign, OPTIONS));
    assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
  }

  static Map<String, byte[]> contents(Path dir) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path path : list.toList()) {
        files.put(path.getFileName().toString(), Files.readAllBytes(path));
      }
    }
    return files;
  }
}
