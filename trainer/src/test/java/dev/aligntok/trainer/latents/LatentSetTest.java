package dev.aligntok.trainer.latents;

import static dev.aligntok.trainer.latents.LatentExtractorTest.extractor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader trusts nothing it cannot verify: an altered or missing shard is an error naming it. */
class LatentSetTest {
  private static ExtractionInput input() {
    return new ExtractionInput("shapes", "all", TinyTokenizer.shapes(4), List.of("disc", "square"), Map.of(), null);
  }

  @Test
  void aTamperedShardIsRefusedByNameAndARerunRepairsIt(@TempDir Path dir) throws Exception {
    ExtractionOptions options = new ExtractionOptions(2, 2, true, false);
    extractor(TinyTokenizer.tokenizer()).extract(input(), dir, options);
    float[] good = LatentSet.read(dir).latents();
    Path shard = dir.resolve("shard-00001.safetensors");
    try (FileChannel channel = FileChannel.open(shard, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long at = channel.size() - 20;        // inside latents_flip's data: same size, still valid safetensors
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x40)).rewind();
      channel.write(one, at);
    }

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LatentSet.read(dir));
    assertTrue(error.getMessage().contains("shard-00001.safetensors"), error.getMessage());
    assertTrue(error.getMessage().contains("SHA-256"), error.getMessage());

    ExtractionResult repaired = extractor(TinyTokenizer.tokenizer()).extract(input(), dir, options);
    assertEquals(List.of("shard-00001.safetensors"), repaired.written());
    assertArrayEquals(good, LatentSet.read(dir).latents());
  }

  @Test
  void aMissingShardOrIndexIsAClearError(@TempDir Path dir) throws Exception {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> LatentSet.read(dir));
    assertTrue(empty.getMessage().contains("no index.json"), empty.getMessage());

    extractor(TinyTokenizer.tokenizer()).extract(input(), dir, new ExtractionOptions(3, 4, false, false));
    Files.delete(dir.resolve("shard-00001.safetensors"));
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> LatentSet.read(dir));
    assertTrue(missing.getMessage().contains("shard-00001.safetensors") && missing.getMessage().contains("missing"),
        missing.getMessage());
  }
}
