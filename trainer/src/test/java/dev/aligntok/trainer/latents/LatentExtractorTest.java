package dev.aligntok.trainer.latents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.image.Normalization;
import dev.aligntok.trainer.data.Batch;
import dev.aligntok.trainer.data.BatchIterator;
import dev.aligntok.trainer.data.BatchSpec;
import dev.aligntok.trainer.data.Sample;
import dev.aligntok.trainer.data.SkipReason;
import dev.aligntok.trainer.data.SkippedImagesReport;
import dev.aligntok.inference.image.ImageBatch;
import dev.aligntok.trainer.eval.TokenizerUnderTest;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction with a real (CI-sized) AlignTok tokenizer: shards round-trip bit for bit, flips are
 * the latents of mirrored images, statistics match a direct computation, unreadable images are
 * skipped and listed.
 */
class LatentExtractorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final List<String> LABELS = List.of("disc", "square");

  @Test
  void shardsRoundTripToExactlyTheTokenizersLatents(@TempDir Path dir) throws Exception {
    List<Sample> samples = TinyTokenizer.shapes(7);
    ExtractionInput input = new ExtractionInput("shapes", "all", samples, LABELS, Map.of("disc", List.of("circle")), null);
    ExtractionResult result = LatentExtractor.of(TinyTokenizer.tokenizer(), TinyTokenizer.checkpoint(), QUIET)
        .extract(input, dir, new ExtractionOptions(3, 2, true, false));

    assertEquals(List.of("shard-00000.safetensors", "shard-00001.safetensors", "shard-00002.safetensors"), result.written());
    assertEquals(7, result.extracted());
    LatentSet set = LatentSet.read(dir);
    assertEquals(7, set.count());
    assertEquals(4, set.channels());
    assertEquals(2, set.height());
    assertEquals(2, set.width());
    // The same images through the evaluation path, batched as the extractor batches them
    // (shards of 3, batches of 2 inside a shard), encoded directly.
    assertArrayEquals(encodeLikeTheExtractor(samples, 3, 2), set.latents(), "latents are bit-identical");
    assertArrayEquals(encodeLikeTheExtractor(TinyTokenizer.mirroredShapes(7), 3, 2), set.flippedLatents(),
        "latents_flip are the latents of the mirrored images");
    assertFalse(Arrays.equals(set.latents(), set.flippedLatents()), "the test images are not symmetric");
    assertArrayEquals(samples.stream().mapToInt(Sample::label).toArray(), set.labels());
    assertEquals(LABELS, set.labelNames());
    assertEquals(Map.of("disc", List.of("circle")), set.labelSynonyms());
    for (int i = 0; i < samples.size(); i++) {
      assertEquals(samples.get(i).id(), set.sourceId(i));
    }

    LatentIndex index = set.index();
    assertEquals(TinyTokenizer.checkpoint().toAbsolutePath().normalize(), index.extraction().tokenizer().checkpointFrom(dir));
    assertFalse(Path.of(index.extraction().tokenizer().checkpoint()).isAbsolute(), "recorded relative to the latent directory");
    assertEquals("stage1", index.extraction().tokenizer().stage());
    assertEquals(List.of(3, 3, 1), index.shards().stream().map(LatentIndex.Shard::rows).toList());
    assertEquals(new LatentIndex.Location(1, 2), index.samples().get("shape-5"));

    // Any safetensors reader gets the same tensors: DJL's, with LightningDiT's names and dtypes.
    try (NDManager manager = NDManager.newBaseManager(); InputStream in = Files.newInputStream(dir.resolve("shard-00001.safetensors"))) {
      NDList shard = NDList.decode(manager, in);
      int perLatent = 4 * 2 * 2;
      assertArrayEquals(Arrays.copyOfRange(set.latents(), 3 * perLatent, 6 * perLatent), shard.get("latents").toFloatArray());
      assertArrayEquals(Arrays.copyOfRange(set.flippedLatents(), 3 * perLatent, 6 * perLatent),
          shard.get("latents_flip").toFloatArray());
      assertEquals(DataType.INT64, shard.get("labels").getDataType());
      assertArrayEquals(new long[] {1, 0, 1}, shard.get("labels").toLongArray());
      assertArrayEquals(new long[] {3, 4, 2, 2}, shard.get("latents").getShape().getShape());
    }
  }

  @Test
  void statisticsEqualTheMeanAndStdOfAllLatentsAndFlips(@TempDir Path dir) throws Exception {
    List<Sample> samples = TinyTokenizer.shapes(6);
    ExtractionInput input = new ExtractionInput("shapes", "all", samples, LABELS, Map.of(), null);
    extractor(TinyTokenizer.tokenizer()).extract(input, dir, new ExtractionOptions(4, 4, true, false));
    LatentSet set = LatentSet.read(dir);

    int c = set.channels();
    int plane = set.height() * set.width();
    for (int channel = 0; channel < c; channel++) {
      List<Double> values = new ArrayList<>();
      for (float[] array : List.of(set.latents(), set.flippedLatents())) {
        for (int i = 0; i < set.count(); i++) {
          for (int p = 0; p < plane; p++) {
            values.add((double) array[(i * c + channel) * plane + p]);
          }
        }
      }
      double mean = values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / (values.size() - 1);
      assertEquals(mean, set.channelMean()[channel], 1e-6 * Math.max(1, Math.abs(mean)), "mean of channel " + channel);
      assertEquals(Math.sqrt(variance), set.channelStd()[channel], 1e-6 * Math.max(1, Math.sqrt(variance)),
          "std of channel " + channel);
    }
    JsonNode stats = JSON.readTree(dir.resolve(LatentExtractor.STATS_JSON).toFile());
    assertTrue(stats.get("includesFlips").asBoolean());
    assertEquals(6L * 2 * plane, stats.get("valuesPerChannel").asLong());
    assertEquals(set.channelMean()[0], stats.get("mean").get(0).floatValue());
  }

  @Test
  void unreadableImagesAreSkippedAndListedAndCountsAddUp(@TempDir Path dir, @TempDir Path files) throws Exception {
    List<Sample> samples = new ArrayList<>(TinyTokenizer.shapes(5));
    samples.add(1, TinyTokenizer.corruptFile(files, "corrupt"));
    samples.add(4, TinyTokenizer.missingFile(files, "gone"));
    SkippedImagesReport reader = SkippedImagesReport.builder("shapes").considered()
        .skip("never-read", "shapes/never-read.png", SkipReason.EMPTY, "0 bytes").build();
    ExtractionInput input = new ExtractionInput("shapes", "all", samples, LABELS, Map.of(), reader);
    TinyTokenizer.Counting counting = new TinyTokenizer.Counting(TinyTokenizer.tokenizer());
    ExtractionResult result = extractor(counting).extract(input, dir, new ExtractionOptions(4, 4, false, false));

    assertEquals(7, result.inputCount());
    assertEquals(5, result.extracted());
    assertEquals(2, result.skipped());
    assertEquals(result.inputCount(), result.extracted() + result.skipped());
    assertEquals(5, counting.images.get(), "only readable images reach the tokenizer; no flips");

    LatentSet set = LatentSet.read(dir);
    assertNull(set.flippedLatents());
    assertEquals(5, set.count());
    assertEquals(List.of("shape-0", "shape-1", "shape-2", "shape-3", "shape-4"),
        java.util.stream.IntStream.range(0, 5).mapToObj(set::sourceId).toList());
    List<Sample> readable = samples.stream().filter(s -> s.id().startsWith("shape-")).toList();
    // Shard 0 held inputs 0..3 (three readable), shard 1 inputs 4..6 (two readable).
    assertArrayEquals(concat(encode(readable.subList(0, 3)), encode(readable.subList(3, 5))), set.latents());
    assertEquals(List.of(3, 2), set.index().shards().stream().map(LatentIndex.Shard::rows).toList());
    assertEquals(1, set.index().skipped().whileReadingDataset());
    assertEquals(2, set.index().skipped().whileExtracting());

    JsonNode report = JSON.readTree(dir.resolve(LatentExtractor.SKIPPED).toFile());
    assertEquals(3, report.get("skipped").asInt());
    assertEquals(8, report.get("considered").asInt(), "reader's skip + 7 inputs");
    assertEquals(5, report.get("kept").asInt());
    Map<String, String> reasons = new java.util.HashMap<>();
    report.get("entries").forEach(e -> reasons.put(e.get("id").asText(), e.get("reason").asText()));
    assertEquals(Set.of("never-read", "corrupt", "gone"), reasons.keySet());
    assertEquals("UNREADABLE_FILE", reasons.get("gone"));
    assertTrue(Set.of("CORRUPT", "UNSUPPORTED_FORMAT").contains(reasons.get("corrupt")), reasons.toString());
  }

  @Test
  void flippingMirrorsEachRowOfEachChannel() {
    float[] pixels = new float[2 * 3 * 2 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = i;
    }
    float[] flipped = LatentExtractor.flippedHorizontally(new ImageBatch(pixels, 2, 2, 3)).pixels();
    assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, Arrays.copyOf(flipped, 6));
    assertArrayEquals(new float[] {35, 34, 33}, Arrays.copyOfRange(flipped, 33, 36));
  }

  static LatentExtractor extractor(TokenizerUnderTest tokenizer) {
    return new LatentExtractor(tokenizer, TinyTokenizer.source(), QUIET);
  }

  /** Latents of the samples, encoded batch by batch as the extractor groups them. */
  static float[] encodeLikeTheExtractor(List<Sample> samples, int shardSize, int batchSize) {
    List<float[]> parts = new ArrayList<>();
    for (int shard = 0; shard < samples.size(); shard += shardSize) {
      List<Sample> inShard = samples.subList(shard, Math.min(samples.size(), shard + shardSize));
      for (int b = 0; b < inShard.size(); b += batchSize) {
        parts.add(encode(inShard.subList(b, Math.min(inShard.size(), b + batchSize))));
      }
    }
    return concat(parts.toArray(float[][]::new));
  }

  static float[] encode(List<Sample> batch) {
    Batch images = BatchIterator.evaluation(batch, new BatchSpec(batch.size(), 16, Normalization.ZERO_ONE, false)).next();
    return TinyTokenizer.tokenizer().encode(new ImageBatch(images.images(), images.size(), 16, 16)).values();
  }

  static float[] concat(float[]... parts) {
    int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
    float[] all = new float[length];
    int at = 0;
    for (float[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
