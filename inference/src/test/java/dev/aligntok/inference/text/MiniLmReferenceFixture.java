package dev.aligntok.inference.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes {@code src/test/resources/text/minilm-reference.json}, the embeddings {@link TextEncoderTest}
 * holds our code to. Made without our tokenizer, batching or pooling: Hugging Face's tokenizer (DJL),
 * one prompt per ONNX Runtime call (no padding), mean and norm written out here. Run once, by hand:
 * {@code mvn -pl inference -am test -Dtest=MiniLmReferenceFixture -Daligntok.text.regenerate=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class MiniLmReferenceFixture {
  static final Path FILE = Path.of("src/test/resources/text/minilm-reference.json");

  /** The fixture's prompts: the DESIGN §3 trio, the CFG null prompt, accents, CJK + emoji, one past 128 tokens. */
  static final List<String> PROMPTS = List.of("a smiling cat wearing sunglasses", "grinning cat face", "red apple", "",
      "an emoji of a rocket", "Café crème: 1,000 ☕!", "日本語の文章 with 😀 and [MASK]",
      "a very long prompt about a small green frog on a lily pad, ".repeat(12));

  @Test
  @EnabledIfSystemProperty(named = "aligntok.text.regenerate", matches = "true")
  void write() throws Exception {
    TextEncoderArtifact artifact = TextEncoderArtifact.MINILM_L6_V2_Q;
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<Map<String, Object>> rows = new ArrayList<>();
    try (HuggingFaceReference tokenizer = new HuggingFaceReference();
         OrtSession session = env.createSession(artifact.readModel(), new OrtSession.SessionOptions())) {
      for (String prompt : PROMPTS) {
        long[] ids = tokenizer.ids(prompt);
        long[] shape = {1, ids.length};
        long[] ones = new long[ids.length];
        Arrays.fill(ones, 1);
        float[][][] states;
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
             OnnxTensor typeTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
             OrtSession.Result result = session.run(Map.of("input_ids", idTensor, "attention_mask", maskTensor,
                 "token_type_ids", typeTensor))) {
          states = (float[][][]) result.get("last_hidden_state").orElseThrow().getValue();
        }
        int width = states[0][0].length;
        double[] mean = new double[width];
        for (float[] token : states[0]) {
          for (int d = 0; d < width; d++) {
            mean[d] += token[d] / (double) ids.length;
          }
        }
        double norm = Math.sqrt(Arrays.stream(mean).map(v -> v * v).sum());
        List<BigDecimal> embedding = new ArrayList<>();
        for (double v : mean) {
          embedding.add(BigDecimal.valueOf(v / norm).setScale(7, RoundingMode.HALF_EVEN).stripTrailingZeros());
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("prompt", prompt);
        row.put("ids", ids);
        row.put("embedding", embedding);
        rows.add(row);
      }
    }
    Map<String, Object> fixture = new LinkedHashMap<>();
    fixture.put("artifact", artifact.coordinates());
    fixture.put("modelSha256", artifact.modelSha256());
    fixture.put("tokenizerSha256", artifact.tokenizerSha256());
    fixture.put("madeBy", "MiniLmReferenceFixture: Hugging Face tokenizer (DJL 0.36), ONNX Runtime, one prompt per"
        + " call, mean over tokens, L2 norm, rounded to 1e-7");
    fixture.put("prompts", rows);
    Files.createDirectories(FILE.getParent());
    Files.writeString(FILE, new ObjectMapper().writeValueAsString(fixture) + "\n");
  }
}
