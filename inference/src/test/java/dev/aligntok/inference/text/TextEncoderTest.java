package dev.aligntok.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aligntok.inference.runtime.ExecutionProvider;
import dev.aligntok.inference.runtime.RuntimeOptions;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextEncoderTest {
  private static TextEncoder encoder;

  @BeforeAll
  static void open() {
    encoder = TextEncoder.open(RuntimeOptions.defaults().withThreads(1, 1));
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void reproducesTheCommittedReferenceEmbeddings() throws Exception {
    JsonNode fixture;
    try (InputStream in = TextEncoderTest.class.getResourceAsStream("/text/minilm-reference.json")) {
      fixture = new ObjectMapper().readTree(in);
    }
    assertEquals(TextEncoderArtifact.MINILM_L6_V2_Q.coordinates(), fixture.path("artifact").asText());
    List<String> prompts = new ArrayList<>();
    fixture.path("prompts").forEach(row -> prompts.add(row.path("prompt").asText()));
    assertEquals(MiniLmReferenceFixture.PROMPTS, prompts);

    float[][] embeddings = encoder.embed(prompts); // one padded batch; the fixture was made one prompt at a time
    for (int p = 0; p < prompts.size(); p++) {
      JsonNode row = fixture.path("prompts").get(p);
      int[] ids = new int[row.path("ids").size()];
      Arrays.setAll(ids, i -> row.path("ids").get(i).asInt());
      assertArrayEquals(ids, encoder.tokenizer().encode(prompts.get(p)), "ids of prompt " + p);
      assertEquals(384, row.path("embedding").size());
      for (int d = 0; d < 384; d++) {
        assertEquals(row.path("embedding").get(d).asDouble(), embeddings[p][d], 1e-5, "prompt " + p + ", dim " + d);
      }
    }
  }

  @Test
  void relatedPromptsAreCloserThanUnrelatedOnes() {
    float[][] e = encoder.embed(List.of("a smiling cat wearing sunglasses", "grinning cat face", "red apple"));
    double related = dot(e[0], e[1]);
    double unrelated = dot(e[0], e[2]);
    assertEquals(0.64, related, 0.02);
    assertEquals(0.11, unrelated, 0.02);
    assertTrue(related > unrelated + 0.4, related + " vs " + unrelated);
  }

  @Test
  void paddingDoesNotChangeAnEmbedding() {
    String prompt = "grinning cat face";
    float[] alone = encoder.embed(List.of(prompt))[0];
    float[][] padded = encoder.embed(List.of(prompt, "a much longer prompt that makes the batch pad the first one",
        prompt, ""));
    assertClose(alone, padded[0], 1e-6);
    assertClose(alone, padded[2], 1e-6);
  }

  @Test
  void embeddingsAreUnitVectorsAndTheEmptyPromptIsOne() {
    float[][] e = encoder.embed(List.of("", "   ", "x"));
    assertEquals(384, encoder.dimension());
    for (float[] v : e) {
      assertEquals(384, v.length);
      assertEquals(1.0, Math.sqrt(dot(v, v)), 1e-5);
    }
    assertClose(e[0], e[1], 1e-6); // white space only tokenizes like the empty prompt: [CLS] [SEP]
    assertTrue(dot(e[0], e[2]) < 0.99);
  }

  @Test
  void promptsBeyondTheTokenLimitAreCut() {
    assertEquals(128, encoder.maxTokens());
    String head = "cat ".repeat(126);
    float[][] e = encoder.embed(List.of(head, head + "and a red apple on a table"));
    assertClose(e[0], e[1], 1e-6);
  }

  @Test
  void anEmptyListNeedsNoModelCallAndANullPromptIsNamed() {
    assertEquals(0, encoder.embed(List.of()).length);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> encoder.embed(Arrays.asList("a", null)));
    assertEquals("prompt 1 of 2 is null (use \"\" for no text)", e.getMessage());
  }

  @Test
  void aBatchInvariantModelRunsThePaddedBatchInOneCall() {
    // The pinned int8 model is not batch-invariant; declaring it so exercises the padded path, whose rows
    // then differ from single runs by the shared quantisation scale (cosine 0.97-0.99 here), far less than
    // if padding were averaged in (0.76).
    TextEncoderArtifact q = TextEncoderArtifact.MINILM_L6_V2_Q;
    TextEncoderArtifact batched = new TextEncoderArtifact(q.groupId(), q.artifactId(), q.version(), q.modelResource(),
        q.modelSha256(), q.tokenizerResource(), q.tokenizerSha256(), true);
    List<String> prompts = List.of("grinning cat face", "a much longer prompt that makes the batch pad the first one",
        "red apple", "");
    float[][] single = encoder.embed(prompts);
    try (TextEncoder oneCall = TextEncoder.open(batched, RuntimeOptions.defaults().withThreads(1, 1))) {
      float[][] padded = oneCall.embed(prompts);
      for (int p = 0; p < prompts.size(); p++) {
        assertTrue(dot(single[p], padded[p]) > 0.95, "prompt " + p + ": cosine " + dot(single[p], padded[p]));
      }
    }
  }

  @Test
  void runsOnCudaOrCpuNeverTensorRt() {
    assertEquals(ExecutionProvider.CPU, encoder.provider().provider()); // this machine has no GPU
    assertFalse(encoder.provider().skipped().containsKey(ExecutionProvider.TENSORRT));
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }

  private static void assertClose(float[] expected, float[] actual, double tolerance) {
    double worst = 0;
    for (int i = 0; i < expected.length; i++) {
      worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
    }
    assertTrue(worst <= tolerance, "max abs difference " + worst + " > " + tolerance);
  }
}
